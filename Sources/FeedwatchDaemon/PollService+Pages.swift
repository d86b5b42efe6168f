import FeedwatchConfig
import FeedwatchDedup
import FeedwatchModel
import FeedwatchStore
import Foundation

extension PollService {
    /// The entries of a fetched feed whose teaser wants its page (`PreparedEntry.wantsPage`),
    /// prepared again on what their pages gave. Runs in the fetch task, after parsing: the
    /// pages are read concurrently, each within `full_text.timeout`, so a feed's alerts wait
    /// for them that long at most. A copy of a story already alerted is not read at all.
    static func readPages(_ feed: Feed, prepared: [String: PreparedEntry], source: SourceConfig,
                          preparer: StoryPreparer, reader: PageReader, service: PollService) async -> [String: PreparedEntry] {
        var seen = Set<String>()
        let wanted = feed.entries.filter { prepared[$0.id]?.wantsPage == true && seen.insert($0.id).inserted }
        guard !wanted.isEmpty else { return prepared }
        var out = prepared
        var fingerprints: [String: PreparedStory] = [:]
        for entry in wanted {
            fingerprints[entry.id] = prepared[entry.id]?.dedup
                ?? preparer.fingerprint(entry, source: source, feedLanguage: feed.language)
        }
        let copies = await service.alertedCopies(fingerprints)
        for id in copies {
            out[id]?.wantsPage = false
            out[id]?.textSource = "feed"
            out[id]?.textNote = "copy of an alerted story: page not read"
        }
        let toRead = wanted.filter { !copies.contains($0.id) }
        let results = await withTaskGroup(of: (String, PageResult).self) { group in
            for entry in toRead {
                let link = entry.link ?? ""
                group.addTask { (entry.id, await reader.read(link)) }
            }
            var all: [String: PageResult] = [:]
            for await (id, result) in group { all[id] = result }
            return all
        }
        for entry in toRead {
            guard let result = results[entry.id] else { continue }
            out[entry.id] = preparer.prepare(entry, source: source, feedLanguage: feed.language, page: result)
        }
        return out
    }

    /// Which of these stories (by entry id) copy a story an alert was raised on, by the dedup
    /// index's rules: their pages need no reading.
    func alertedCopies(_ stories: [String: PreparedStory]) -> Set<String> {
        guard !stories.isEmpty else { return [] }
        let index = pipeline.index(now: now())
        let t = now()
        let copies = Set(stories.filter { index.copiesAlertedStory($0.value, at: t) }.keys)
        if !copies.isEmpty { try? store.incrementCounter("pages.skipped_copies", by: copies.count) }
        return copies
    }
}

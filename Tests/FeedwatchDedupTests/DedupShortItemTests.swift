import Foundation
import Testing
import FeedwatchDedup
import FeedwatchModel

/// Short feed items — a headline alone, or a headline and one sentence — written for these tests:
/// how real feeds repeat wire copy (aggregators drop the text, outlets re-headline it or write
/// their own summary) and how one mould reports other events.
enum Short {
    static let headline = "Flooding forces evacuation of riverside villages in Mopti region"
    static let lede = "Rising waters of the Niger river forced the evacuation of eleven riverside villages in the Mopti region on Tuesday, the civil protection agency said."
    static let ownSummary = "Aid groups warn that the rainy season has only begun, and that storage for seed and grain is already under water."
    static let t0 = Date(timeIntervalSince1970: 1_795_000_000)

    static func story(_ id: String, _ title: String, _ summary: String?) -> Story {
        Story(id: id, title: title, summary: summary, source: "feed-\(id)", language: "en")
    }

    enum Verdict: String { case copy, sameStory, neither }

    /// What the index says of `second`, added `after` seconds after `first`.
    static func verdict(_ first: Story, _ second: Story, after: TimeInterval = 3 * 3600) -> Verdict {
        let d = Deduplicator()
        _ = d.add(first, at: t0)
        let r = d.add(second, at: t0 + after)
        if r.duplicateOf == first.id { return .copy }
        return r.story == first.id ? .sameStory : .neither
    }
}

@Suite("Dedup: short items")
struct DedupShortItemTests {
    @Test("Copies and reports of one event, and other events in one mould", arguments: [
        // Same headline (case, punctuation, light edits) with the same, a truncated or no summary.
        ("headline only", Short.headline, Short.lede, Short.headline, nil, Short.Verdict.copy),
        ("headline only, edited", Short.headline, Short.lede, "Flooding forces evacuation of riverside villages in Mopti", nil, .copy),
        ("headline only, before the text", Short.headline, nil, Short.headline, Short.lede, .copy),
        ("headline + sentence, title case", Short.headline, Short.lede,
         "Flooding Forces Evacuation of Riverside Villages in Mopti Region", Short.lede, .copy),
        ("truncated summary", Short.headline, Short.lede, Short.headline,
         "Rising waters of the Niger river forced the evacuation of eleven riverside villages…", .copy),
        ("lightly edited summary", Short.headline, Short.lede, Short.headline,
         "Rising waters of the Niger forced the evacuation of eleven riverside villages in Mopti region on Tuesday, civil protection officials said", .copy),
        // Same headline over the outlet's own summary: the same story, not a copy.
        ("own summary", Short.headline, Short.lede, Short.headline, Short.ownSummary, .sameStory),
        // A rewritten headline over the same first sentence is a copy.
        ("rewritten headline, same lede", Short.headline, Short.lede,
         "Niger river floods empty eleven villages", Short.lede, .copy),
        // A similar template about another event is neither.
        ("another toll", "Gunmen kill 12 villagers in central Mali",
         "Gunmen on motorbikes killed 12 villagers in an attack on a weekly market, local officials said.",
         "Gunmen kill 7 villagers in central Mali",
         "Gunmen on motorbikes killed 7 villagers in an attack on a weekly market, local officials said.", .neither),
        ("another toll, headline only", "Gunmen kill 12 villagers in central Mali",
         "Gunmen on motorbikes killed 12 villagers in an attack on a weekly market, local officials said.",
         "Gunmen kill 7 villagers in central Mali", nil, .neither),
        ("another town", "Gunmen attack weekly market in central Mali",
         "Gunmen on motorbikes attacked the weekly market of Sofara, killing several traders, local officials said.",
         "Gunmen attack weekly market in central Mali",
         "Gunmen on motorbikes attacked the weekly market of Tenenkou, killing several traders, local officials said.", .neither),
        ("another day", "Gunmen attack army post in central Mali",
         "Gunmen attacked an army post on Monday, killing three soldiers, the army said in a statement.",
         "Gunmen attack army post in central Mali",
         "Gunmen attacked an army post on Thursday, killing three soldiers, the army said in a statement.", .neither),
        ("another week, ordinal", "Teachers strike over unpaid wages for 10th week", nil,
         "Teachers strike over unpaid wages for 11th week", nil, .neither),
        ("another day, grouped number", "Displaced people in the region pass 20,000", nil,
         "Displaced people in the region pass 23,000", nil, .neither),
    ] as [(String, String, String?, String, String?, Short.Verdict)])
    func rules(_ name: String, _ title1: String, _ summary1: String?, _ title2: String, _ summary2: String?,
               _ expected: Short.Verdict) {
        let got = Short.verdict(Short.story("a", title1, summary1), Short.story("b", title2, summary2))
        #expect(got == expected, "\(name)")
    }

    @Test("A bare headline repeated days apart is a recurring column, not a copy")
    func recurringHeadline() {
        let title = "Morning briefing: what to watch in the Sahel today"
        #expect(Short.verdict(Short.story("a", title, nil), Short.story("b", title, nil), after: 4 * 86_400) == .neither)
        #expect(Short.verdict(Short.story("a", title, nil), Short.story("b", title, nil), after: 3600) == .copy)
    }

    @Test("Short headlines are not enough to call two items one")
    func shortHeadline() {
        #expect(Short.verdict(Short.story("a", "Live updates", Short.lede), Short.story("b", "Live updates", nil)) == .neither)
    }

    @Test("A bare headline stands for its original: a later own summary under it is a report, not a copy")
    func bareCopyStandsForOriginal() {
        let d = Deduplicator()
        _ = d.add(Short.story("wire", Short.headline, Short.lede), at: Short.t0)
        #expect(d.add(Short.story("bare", Short.headline, nil), at: Short.t0 + 600).duplicateOf == "wire")
        let own = d.add(Short.story("own", Short.headline, Short.ownSummary), at: Short.t0 + 1200)
        #expect(own.duplicateOf == nil)
        #expect(own.story == "wire")
        let copy = d.add(Short.story("copy", Short.headline, Short.lede), at: Short.t0 + 1800)
        #expect(copy.duplicateOf == "wire")
    }

    @Test("A bare headline first: the first text under it is its copy, a later own summary is a report")
    func bareFirst() {
        let d = Deduplicator()
        _ = d.add(Short.story("bare", Short.headline, nil), at: Short.t0)
        #expect(d.add(Short.story("wire", Short.headline, Short.lede), at: Short.t0 + 600).duplicateOf == "bare")
        let own = d.add(Short.story("own", Short.headline, Short.ownSummary), at: Short.t0 + 1200)
        #expect(own.duplicateOf == nil)
        #expect(own.story == "bare")
        #expect(d.add(Short.story("copy", Short.headline, Short.lede), at: Short.t0 + 1800).duplicateOf == "bare")
    }

    @Test("An index saved and loaded keeps the short-item rules")
    func snapshotKeepsHeadlines() throws {
        let d = Deduplicator()
        _ = d.add(Short.story("wire", Short.headline, Short.lede), at: Short.t0)
        let loaded = try Deduplicator(snapshot: d.snapshot(), config: DedupConfig())
        #expect(loaded.add(Short.story("bare", Short.headline, nil), at: Short.t0 + 600).duplicateOf == "wire")
        let e = Deduplicator()
        _ = e.add(Short.story("wire", Short.headline, Short.lede), at: Short.t0)
        let journal = e.drainJournal()
        let replayed = Deduplicator()
        try replayed.replay(journal: journal)
        #expect(replayed.add(Short.story("bare", Short.headline, nil), at: Short.t0 + 600).duplicateOf == "wire")
    }
}

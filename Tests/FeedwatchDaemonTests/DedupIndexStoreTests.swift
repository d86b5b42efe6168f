import FeedwatchDedup
import FeedwatchModel
import FeedwatchStore
import FeedwatchTestSupport
import Foundation
import Testing
@testable import FeedwatchDaemon

@Suite("Dedup index in the state store")
struct DedupIndexStoreTests {
    let dir = StoreTempDir()
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    static let lead = "Gunmen on motorbikes attacked a gendarmerie post in the town of Koutiala in southern Mali on Friday, killing four gendarmes and wounding two civilians, the security ministry said."
    static let rest = "The attackers set fire to the post and to a pick-up truck before fleeing towards the border with Burkina Faso, a local official said, adding that a search operation was under way."

    func story(_ id: String, _ title: String, _ body: String) -> Story {
        Story(id: id, title: title, content: body, source: "test", language: "en")
    }

    func populated() -> Deduplicator {
        let d = Deduplicator()
        _ = d.add(story("a", "Gendarmes killed in Koutiala", Self.lead + "\n\n" + Self.rest), at: t0)
        for i in 0..<20 {
            _ = d.add(story("n\(i)", "Notice \(i)", "Market notice \(i) of the Bamako chamber of commerce, reference \(i * 7_919)."),
                      at: t0 + Double(i))
        }
        return d
    }

    @Test("A snapshot saved in many pieces is read back whole, then replaced by the next")
    func pieces() throws {
        let store = try StateStore(directory: dir.path)
        #expect(try StoryPipeline.loadSnapshot(store, config: DedupConfig()) == nil)
        let d = populated()
        var written = 0
        try store.saveSnapshot(legacyBlob: PollService.dedupBlob) { emit in
            try d.writeSnapshot(pieceSize: 256) { piece in
                written += 1
                try emit(piece)
            }
        }
        #expect(written > 10)
        let loaded = try #require(try StoryPipeline.loadSnapshot(store, config: DedupConfig()))
        #expect(loaded.count == d.count)
        #expect(loaded.snapshot() == d.snapshot())
        #expect(loaded.add(story("c", "Copy", Self.lead), at: t0 + 600).duplicateOf == "a")

        // A smaller index replaces every piece of the larger one.
        let small = Deduplicator()
        _ = small.add(story("z", "Only", Self.rest), at: t0)
        try store.saveSnapshot(legacyBlob: PollService.dedupBlob) { emit in try small.writeSnapshot(pieceSize: 256, to: emit) }
        #expect(try StoryPipeline.loadSnapshot(store, config: DedupConfig())?.snapshot() == small.snapshot())
    }

    @Test("A snapshot saved whole by an older version still loads until the next snapshot replaces it")
    func legacyBlob() throws {
        let store = try StateStore(directory: dir.path)
        let d = populated()
        try store.saveBlob(PollService.dedupBlob, d.snapshot())
        #expect(try StoryPipeline.loadSnapshot(store, config: DedupConfig())?.count == d.count)
        try store.saveSnapshot(legacyBlob: PollService.dedupBlob) { emit in try d.writeSnapshot(to: emit) }
        #expect(try store.loadBlob(PollService.dedupBlob) == nil)
        #expect(try StoryPipeline.loadSnapshot(store, config: DedupConfig())?.count == d.count)
    }
}

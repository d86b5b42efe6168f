import FeedwatchConfig
@testable import FeedwatchDaemon
import FeedwatchModel
import FeedwatchStore
import FeedwatchTestSupport
import Foundation
import Logging
import Testing

/// The story pipeline's settings come from the config and the watchlist in one place; a reload
/// swaps a whole new value in, and a refused reload leaves the old one running.
@Suite(.serialized) struct PipelineSettingsTests {
    static let watchlist = """
        topics:
          sahel:
            threshold: 3
            terms:
              Mali: 2
              attack*: 1
          floods:
            threshold: 2
            terms:
              flood*: 2

        """

    static func config(maxStories: Int, teaserWords: Int) -> String {
        """
        watchlist: watchlist.yaml
        state_dir: state
        sources:
          - {name: Wire, url: wire.rss}
        sinks:
          - {type: file, name: desk, path: desk.jsonl, topics: [floods]}
          - {type: file, name: all, path: alerts.jsonl}
        catch_up: {max_age: 12h}
        retention: {stories: 3d, max_stories: \(maxStories)}
        full_text: {teaser_words: \(teaserWords)}

        """
    }

    @Test func everySettingComesFromItsKey() throws {
        let e2e = try E2E()
        defer { e2e.cleanup() }
        try e2e.write("watchlist.yaml", Self.watchlist)
        let path = try e2e.write("feedwatch.yaml", Self.config(maxStories: 2_500, teaserWords: 40))
        let (config, watchlist) = try Daemon.load(Daemon.Options(configPath: path))
        let s = PipelineSettings(config: config, watchlist: watchlist)
        #expect(s.topics == ["sahel", "floods"])
        #expect(s.indexCapacity == 2_500)
        #expect(s.storyRetention == 3 * 86400)
        #expect(s.dedup.window == 3 * 86400)
        #expect(s.catchUp.maxAge == 12 * 3600)
        #expect(s.teaserWords == 40)
        #expect(s.sinks.names(for: sampleAlert("f", topic: "floods"), sourceTags: [], language: nil) == ["desk", "all"])
        #expect(s.sinks.names(for: sampleAlert("s", topic: "sahel"), sourceTags: [], language: nil) == ["all"])
        let story = Story(id: "1", title: "Attack in Mali", content: "Gunmen attacked a post in central Mali.",
                          source: "Wire", language: "en")
        #expect(s.classifier.classify(story).map(\.topic) == ["sahel"])
    }

    @Test func aReloadSwapsInNewSettingsAndARefusedOneKeepsThem() async throws {
        let e2e = try E2E()
        defer { e2e.cleanup() }
        try e2e.write("wire.rss", E2E.rss("Wire", [E2E.mali]))
        try e2e.write("watchlist.yaml", Self.watchlist)
        let path = try e2e.write("feedwatch.yaml", Self.config(maxStories: 2_500, teaserWords: 40))
        let daemon = try await e2e.daemon(path)
        _ = await daemon.runOnce(keepRunning: true)       // an alert loads the index: a reload must resize it
        let before = await daemon.service.settings
        #expect(before.indexCapacity == 2_500)

        try e2e.write("watchlist.yaml", Self.watchlist.replacingOccurrences(of: "floods", with: "storms"))
        try e2e.write("feedwatch.yaml", Self.config(maxStories: 1_800, teaserWords: 25)
            .replacingOccurrences(of: "[floods]", with: "[storms]"))
        await daemon.reload()
        let after = await daemon.service.settings
        #expect(after.topics == ["sahel", "storms"])
        #expect(after.indexCapacity == 1_800)
        #expect(after.teaserWords == 25)
        #expect(after.sinks.names(for: sampleAlert("s", topic: "storms"), sourceTags: [], language: nil) == ["desk", "all"])
        #expect(await daemon.service.pipelineState == PollService.PipelineState(generation: 1, teaserWords: 25, indexCapacity: 1_800))

        // A watchlist with an error is refused: the settings just swapped in keep running.
        try e2e.write("watchlist.yaml", "topics:\n  broken:\n    threshold: nope\n    terms:\n      Mali: 1\n")
        try e2e.write("feedwatch.yaml", Self.config(maxStories: 5_000, teaserWords: 5))
        await daemon.reload()
        let refused = await daemon.service.settings
        #expect(refused.topics == ["sahel", "storms"])
        #expect(refused.indexCapacity == 1_800)
        #expect(refused.teaserWords == 25)
        #expect(await daemon.service.pipelineState == PollService.PipelineState(generation: 1, teaserWords: 25, indexCapacity: 1_800))
    }
}

extension PollService {
    struct PipelineState: Equatable, Sendable {
        var generation: Int
        var teaserWords: Int
        /// The loaded index's bound; nil when not loaded.
        var indexCapacity: Int?
    }

    /// What the running pipeline derived from its settings.
    var pipelineState: PipelineState {
        PipelineState(generation: pipeline.preparer.generation, teaserWords: pipeline.preparer.teaserWords,
                      indexCapacity: pipeline.indexStore.loaded?.capacity)
    }
}

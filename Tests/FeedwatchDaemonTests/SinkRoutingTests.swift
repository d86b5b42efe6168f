import FeedwatchAlert
import FeedwatchConfig
@testable import FeedwatchDaemon
import FeedwatchModel
import FeedwatchStore
import FeedwatchTestSupport
import Foundation
import Testing

/// Which sinks an alert goes to: every sink whose route takes it, exactly once each.
@Suite("Sink routing")
struct SinkRoutingTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var alert: Alert
        var sourceTags: [String]
        var language: String?
        var expected: [String]
        var testDescription: String { name }
    }

    /// A watch (source) in two groups (tags), and sinks routing by each group, both, topic, score,
    /// language and kind.
    static let routes = SinkRoutes([
        ("everything", AlertRoute()),
        ("group-sahel", AlertRoute(tags: ["sahel"])),
        ("group-mali", AlertRoute(tags: ["mali"])),
        ("both-groups", AlertRoute(tags: ["sahel", "mali"])),
        ("topic-sahel", AlertRoute(topics: ["sahel", "niger-delta"])),
        ("urgent", AlertRoute(minScore: 4)),
        ("french", AlertRoute(languages: ["fr"])),
        ("ops", AlertRoute(kinds: [.sourceHealth])),
        ("no-updates", AlertRoute(kinds: [.alert, .digest])),
    ])

    static func alert(topic: String = "sahel", score: Double = 2.5, kind: Alert.Kind = .alert) -> Alert {
        var a = sampleAlert("r-\(topic)-\(score)", topic: topic)
        a.score = score
        a.kind = kind
        if kind == .update { a.update = 1 }
        return a
    }

    static let cases: [Case] = [
        Case(name: "source in both groups: each group sink once, the both-groups sink once", alert: alert(),
             sourceTags: ["sahel", "mali"], language: "fr",
             expected: ["everything", "group-sahel", "group-mali", "both-groups", "topic-sahel", "french", "no-updates"]),
        Case(name: "source in one group", alert: alert(), sourceTags: ["mali"], language: "en",
             expected: ["everything", "group-mali", "both-groups", "topic-sahel", "no-updates"]),
        Case(name: "untagged source, other topic, high score", alert: alert(topic: "piracy", score: 4.5), sourceTags: [],
             language: "fr-FR", expected: ["everything", "urgent", "french", "no-updates"]),
        Case(name: "unknown language passes a language filter", alert: alert(), sourceTags: [], language: nil,
             expected: ["everything", "topic-sahel", "french", "no-updates"]),
        Case(name: "an update skips sinks without kind update", alert: alert(kind: .update), sourceTags: ["sahel"],
             language: "fr", expected: ["everything", "group-sahel", "both-groups", "topic-sahel", "french"]),
        Case(name: "source-health ignores topic, score and language filters but not tags",
             alert: alert(topic: AlertRoute.sourceHealthTopic, score: 1), sourceTags: ["mali"], language: nil,
             expected: ["everything", "group-mali", "both-groups", "topic-sahel", "urgent", "french", "ops"]),
    ]

    @Test(arguments: cases)
    func routing(_ c: Case) {
        let got = Self.routes.names(for: c.alert, sourceTags: c.sourceTags, language: c.language)
        #expect(got == c.expected)
        #expect(Set(got).count == got.count)
    }

    @Test("Queued through the outbox: one row per sink that takes the alert, none for the others")
    func queuedOnce() async throws {
        let f = try DispatchFixture()
        let a = Self.alert()
        let to = Self.routes.names(for: a, sourceTags: ["sahel", "mali"], language: "fr")
        #expect(try Outbox(store: f.store).queue(a, routes: Self.routes, sourceTags: ["sahel", "mali"], language: "fr",
                                                at: f.clock.now))
        let sinks = Self.routes.sinks.map { MemorySink(name: $0.name) }
        let d = try f.dispatcher(sinks)
        #expect(await d.drain().delivered == to.count)
        for s in sinks { #expect(s.payloads.count == (to.contains(s.name) ? 1 : 0), "\(s.name)") }
    }

    @Test("An update goes only to sinks that got the alert and take updates")
    func updatesFollowTheAlert() async throws {
        let f = try DispatchFixture()
        let sinks = ["a", "b", "c"].map { MemorySink(name: $0) }
        var conf = AlertDispatcher.Configuration(flood: nil, updateInterval: 60)
        conf.routes = ["b": AlertRoute(kinds: [.alert])]
        let d = AlertDispatcher(store: f.store, sinks: sinks, deadLetters: nil, configuration: conf, logger: quietLogger,
                                now: f.clock.closure)
        let a = AlertUpdateTests.alert(at: f.clock.now)
        try f.raise(a, to: ["a", "b"])       // "c"'s route did not take it
        try f.store.addOutlet(alertID: a.id, outlet: "B", link: nil, title: nil)
        f.clock.advance(60)
        #expect(await d.drain().updates == 1)
        #expect(sinks.map(\.payloads.count) == [2, 1, 0])
    }

    @Test("A sink whose kinds leave out digest drops what flood control held; the others get the digest")
    func digestsHonourKinds() async throws {
        let f = try DispatchFixture()
        let sinks = ["keep", "drop"].map { MemorySink(name: $0) }
        var conf = AlertDispatcher.Configuration(flood: FloodPolicy(burst: 1, interval: 60), updateInterval: 0)
        conf.routes = ["drop": AlertRoute(kinds: [.alert])]
        let d = AlertDispatcher(store: f.store, sinks: sinks, deadLetters: nil, configuration: conf, logger: quietLogger,
                                now: f.clock.closure)
        for i in 0..<3 { try f.raise(sampleAlert("fl-\(i)"), to: ["keep", "drop"]) }
        await d.drain()
        f.clock.advance(61)
        await d.drain()
        let kinds = { (s: MemorySink) in try s.payloads.map { try AlertPayload.decode($0).kind } }
        #expect(try kinds(sinks[0]) == [.alert, .digest])
        #expect(try kinds(sinks[1]) == [.alert])
        #expect(try f.store.counter("alerts.dropped_by_route") == 2)
        #expect(try f.store.outboxDepth() == 0)
    }
}

import FeedwatchClassify
import FeedwatchConfig
@testable import FeedwatchDaemon
import FeedwatchHTTP
import FeedwatchStore
import FeedwatchTestSupport
import Foundation
import Logging
import Synchronization
import Testing

/// A `PollService` on a `FakeTransport` and a `ManualClock`, with a SQLite store in a scratch
/// directory: its loop runs hours of schedule in milliseconds, in the same order every time.
final class PollRig: Sendable {
    let dir: String
    let clock: ManualClock
    let transport: FakeTransport
    let store: StateStore
    let service: PollService
    private let loop = Mutex<Task<Void, Never>?>(nil)

    /// - Parameters:
    ///   - sources: name, URL and interval (a duration as the config writes it, or nil).
    ///   - random: the jitter draws, in order; the last one repeats.
    init(sources: [(String, String, String?)], schedule: String = "", limits: String = "",
         random: [Double] = [0.5], throwsTaskCancellation: Bool = false) throws {
        dir = NSTemporaryDirectory() + "fw-poll-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir + "/state", withIntermediateDirectories: true)
        try E2E.watchlist.write(toFile: dir + "/watchlist.yaml", atomically: true, encoding: .utf8)
        var y = "watchlist: watchlist.yaml\nstate_dir: state\nsources:\n"
        for (name, url, interval) in sources {
            y += "  - {name: \"\(name)\", url: \"\(url)\"" + (interval.map { ", interval: \($0)" } ?? "") + "}\n"
        }
        y += "sinks:\n  - {type: file, path: alerts.jsonl}\n"
        if !schedule.isEmpty { y += "schedule: {\(schedule)}\n" }
        if !limits.isEmpty { y += "limits: {\(limits)}\n" }
        let config = try Config.parse(yaml: y, file: dir + "/feedwatch.yaml")
        let watchlist = try Watchlist.parse(yaml: E2E.watchlist, file: dir + "/watchlist.yaml")
        let clock = ManualClock()
        self.clock = clock
        transport = FakeTransport(clock: clock, throwsTaskCancellation: throwsTaskCancellation)
        store = try StateStore(path: dir + "/state/state.db")
        let draws = Draws(random)
        var logger = Logger(label: "poll-rig")
        logger.logLevel = .critical
        service = try PollService(config: config, watchlist: watchlist, store: store, transport: transport, logger: logger,
                                  now: { clock.date },
                                  random: { draws.next() },
                                  clock: clock)
    }

    func cleanup() { try? FileManager.default.removeItem(atPath: dir) }

    /// Starts `PollService.run` and lets it take its first steps. The loop writes a result and
    /// looks again at what is due at least every `tick` (production: 1 s); shorter than every
    /// interval a test measures, polls fall due exactly on time.
    func start(tick: Duration = .seconds(60)) async throws {
        let service = self.service
        loop.withLock { $0 = Task { await service.run(tick: tick) } }
        try await settle()
    }

    /// Cancels the loop, as the daemon does at shutdown, and waits for it to return.
    func stop() async {
        let task = loop.withLock { $0 }
        task?.cancel()
        await task?.value
    }

    /// Waits (in real time, briefly) until nothing can happen before the clock moves: the loop
    /// sleeps on the clock, every fetch not yet taken by the loop sleeps on it inside the
    /// transport. Fails the test if that does not come within 10 s.
    func settle(sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        var spins = 0
        while ContinuousClock.now < deadline {
            let (inFlight, waiting) = await service.idleProbe
            let running = inFlight - waiting
            if running == transport.inFlight, clock.sleepers == running + 1 { return }
            spins += 1
            if spins < 200 { await Task.yield() } else { try await Task.sleep(for: .milliseconds(1)) }
        }
        Issue.record("the poll loop did not come to rest", sourceLocation: sourceLocation)
        throw CancellationError()
    }

    /// Moves the clock to `end` through every deadline before it, letting the loop and the
    /// fetches act at each.
    func run(until end: Duration) async throws {
        try await settle()
        while let next = clock.nextDeadline, next <= end {
            clock.advance(to: next)
            try await settle()
        }
        clock.advance(to: end)
        try await settle()
    }

    /// When `url` was requested, in seconds on the manual clock.
    func requestTimes(_ url: String) -> [Double] {
        transport.records(for: url).map { ManualClock.seconds($0.at) }
    }

    func state(_ url: String) async -> SourceState? { await service.scheduled[url]?.state }

    /// An RSS document with no items: a feed, and nothing for the pipeline to do.
    static func emptyFeed(_ title: String = "Feed") -> String {
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>\(title)</title>"
            + "<link>https://example.org/</link></channel></rss>"
    }
}

/// Jitter draws in a given order; the last one repeats.
private final class Draws: Sendable {
    private let left: Mutex<[Double]>
    init(_ draws: [Double]) { left = Mutex(draws) }
    func next() -> Double { left.withLock { d in d.count > 1 ? d.removeFirst() : d[0] } }
}

extension PollService {
    /// Fetches started and not written, and those of them the loop holds for their burst.
    var idleProbe: (Int, Int) { (stats.inFlight, resultsWaiting) }
}

/// `a` and `b` agree within `tolerance` element by element (the loop wakes a millisecond
/// after a source falls due, so times drift by that much per poll).
func close(_ a: [Double], _ b: [Double], tolerance: Double = 0.05) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance }
}

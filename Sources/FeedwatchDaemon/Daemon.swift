import FeedwatchAlert
import FeedwatchClassify
import FeedwatchConfig
import FeedwatchHTTP
import FeedwatchStore
import Foundation
import Logging

/// The whole service: config and watchlist, the state store, the fetcher,
/// the poll service and the alert dispatcher, wired together; signals drive
/// reload, log reopening and graceful stop; systemd hears about all of it.
public actor Daemon {
    /// Where the config lives and what the command line overrides.
    public struct Options: Sendable {
        public var configPath: String
        public var stateDir: String?
        public var logDir: String?

        public init(configPath: String, stateDir: String? = nil, logDir: String? = nil) {
            self.configPath = configPath
            self.stateDir = stateDir
            self.logDir = logDir
        }
    }

    /// Config or watchlist refused, with every problem.
    public struct LoadError: Error, CustomStringConvertible {
        public var problems: [String]
        public var description: String { problems.joined(separator: "\n") }
    }

    let options: Options
    public internal(set) var config: Config
    var watchlist: Watchlist
    let store: any Store
    let transport: any HTTPTransport
    /// Article pages (`full_text`): a transport of their own, so pages never take the feeds' slots.
    let pageTransport: (any HTTPTransport)?
    let service: PollService
    let dispatcher: AlertDispatcher
    let dispatchLoop: DispatchLoop
    let notify: SdNotify
    let logger: Logger
    /// Reload count, for STATUS=.
    var generation = 1
    /// Polls counted at the last heartbeat to a shared store: more since means a poll happened.
    var pollsAtHeartbeat = 0
    let retry: RetryPolicy
    /// `/metrics`, when `metrics.listen` is set.
    let metrics: MetricsServer?

    /// The topics of the running watchlist.
    public var topicNames: [String] { watchlist.topics.map(\.name) }

    /// Loads both files, opens the store and the sinks. Throws `LoadError`
    /// for config/watchlist problems; other errors name the file they concern.
    /// - Parameter retry: the webhook retry schedule (tests shorten it).
    public init(options: Options, transport: (any HTTPTransport)? = nil, logger: Logger,
                notify: SdNotify = SdNotify(), retry: RetryPolicy = RetryPolicy()) async throws {
        self.retry = retry
        self.options = options
        self.logger = logger
        self.notify = notify
        (config, watchlist) = try Self.load(options)
        let config = self.config
        try FileManager.default.createDirectory(atPath: config.stateDir, withIntermediateDirectories: true)
        store = try Self.openStore(config)
        let transport = transport ?? CurlTransport(maxConcurrent: config.limits.concurrency,
                                                   maxPerHost: config.limits.perHost, logger: logger)
        self.transport = transport
        // Injected transports (tests) serve pages too; the page reader keeps its own limits.
        pageTransport = transport is CurlTransport
            ? CurlTransport(maxConcurrent: config.fullText.concurrency, maxPerHost: config.fullText.perHost, logger: logger)
            : nil
        let sinks = try SinkFactory.make(config, transport: transport)
        let deadLetters = try DeadLetterLog(path: SinkFactory.deadLetterPath(config))
        dispatcher = AlertDispatcher(store: store, sinks: sinks, deadLetters: deadLetters,
                                     configuration: SinkFactory.dispatcherConfiguration(config, retry: retry), logger: logger)
        let loop = DispatchLoop(dispatcher: dispatcher)
        dispatchLoop = loop
        service = try PollService(config: config, watchlist: watchlist, store: store, transport: transport,
                                  logger: logger, pageTransport: pageTransport, onAlerts: { loop.wake() })
        metrics = try Self.startMetrics(config, service: service, store: store)
    }

    /// Reads and validates the config and its watchlist; every problem in both.
    static func load(_ options: Options) throws -> (Config, Watchlist) {
        var problems: [String] = []
        var config: Config?
        var watchlistPath: String?
        do {
            config = try Config.load(path: options.configPath).overriding(stateDir: options.stateDir, logDir: options.logDir)
            watchlistPath = config?.watchlist
        } catch let e as ConfigError {
            problems += e.diagnostics.map(\.description)
            watchlistPath = e.watchlist
        }
        var watchlist: Watchlist?
        if let watchlistPath {
            do { watchlist = try Watchlist.load(path: watchlistPath) } catch let e as WatchlistError {
                problems += e.diagnostics.map(\.description)
            }
        }
        guard problems.isEmpty, let config, let watchlist else { throw LoadError(problems: problems) }
        return (config, watchlist)
    }

    // MARK: - Once

    /// `run --once`: polls every source once, processes, delivers what is due,
    /// and (unless `keepRunning`) releases the fetcher.
    public func runOnce(keepRunning: Bool = false) async -> (ProcessReport, DispatchReport) {
        let processed = await service.pollAll()
        let delivered = await dispatcher.drain()
        await service.prune()
        if !keepRunning {
            await shutdownTransport()
            metrics?.stop()
            retireFromStore()
        }
        return (processed, delivered)
    }

    /// One dispatcher pass: what is due in the outbox now.
    public func deliverDue() async -> DispatchReport { await dispatcher.drain() }

    /// The state store (read it, e.g. in tests and `status`).
    public nonisolated var stateStore: any Store { store }

    // MARK: - Service

    /// Runs until SIGTERM/SIGINT arrives on `signals` (or the task is cancelled).
    public func run(signals: AsyncStream<Int32>) async {
        let service = self.service, loop = dispatchLoop, notify = self.notify
        let watchdogEvery = notify.watchdogInterval()
        let lastPing = LockedDate()
        logger.info("feedwatch started", metadata: ["config": "\(config.file)", "sources": "\(config.sources.count)",
                                                    "topics": "\(watchlist.topics.count)", "state": "\(store.location)"])
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await service.run { fetcherOK in
                    // Fed only when both halves move: a stuck fetcher or dispatcher gets the service restarted.
                    guard let every = watchdogEvery, fetcherOK, loop.sinceLastRound < .seconds(120) else { return }
                    if lastPing.elapsed() >= every { notify.watchdog(); lastPing.reset() }
                }
            }
            group.addTask { await loop.run() }
            group.addTask { [weak self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(5))
                    await self?.publishStatus()
                }
            }
            _ = notify.ready(status: await statusLine())
            for await sig in signals {
                switch sig {
                case SIGHUP:
                    await reload()
                case SIGUSR1:
                    await reopenLogs(reason: "SIGUSR1")
                default:
                    logger.info("stopping", metadata: ["signal": "\(SignalStream.name(sig))"])
                    _ = notify.stopping(status: "stopping: finishing in-flight work")
                    group.cancelAll()
                }
                if sig == SIGTERM || sig == SIGINT { break }
            }
            group.cancelAll()
        }
        await service.saveSnapshot()
        await shutdownTransport()
        metrics?.stop()
        retireFromStore()
        logger.info("feedwatch stopped")
    }

    func statusLine() async -> String {
        let stats = await service.stats
        if let problem = await service.storeProblem {
            // Said first: systemctl status cuts long lines.
            return "shared database unreachable, claiming no work: \(problem); \(stats.statusLine)"
        }
        let depth = (try? store.outboxDepth()) ?? 0
        return "\(stats.statusLine), outbox \(depth)" + (generation > 1 ? ", config generation \(generation)" : "")
    }

    func publishStatus() async {
        await heartbeat()
        _ = notify.status(await statusLine())
    }

    func shutdownTransport() async {
        if let curl = transport as? CurlTransport { await curl.shutdown() }
        if let curl = pageTransport as? CurlTransport { await curl.shutdown() }
    }

    func reopenLogs(reason: String) async {
        let errors = await dispatcher.reopenFiles()
        for e in errors { logger.error("cannot reopen a log file; still writing the old one", metadata: ["error": "\(e)"]) }
        logger.info("log files reopened", metadata: ["reason": "\(reason)"])
    }
}

/// A time stamp shared by the watchdog closure.
final class LockedDate: @unchecked Sendable {
    private let lock = NSLock()
    private var at = ContinuousClock.now - .seconds(3600)
    func elapsed() -> Duration { lock.withLock { ContinuousClock.now - at } }
    func reset() { lock.withLock { at = .now } }
}

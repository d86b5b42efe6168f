import FeedwatchAlert
import FeedwatchClassify
import FeedwatchConfig
import FeedwatchHTTP
import FeedwatchStore
import Foundation
import Logging
import ServiceLifecycle

/// The whole service: config and watchlist, the state store, the fetcher,
/// the poll service and the alert dispatcher, wired together and run as services
/// of one `ServiceGroup`; signals drive reload, log reopening and graceful stop;
/// systemd hears about all of it.
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
    /// The services of `run`, while it runs.
    var group: ServiceGroup?
    /// `stop()` was called (perhaps before `run` made its group).
    var stopRequested = false

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

    /// Runs the daemon until a graceful shutdown: SIGTERM or SIGINT when `signals` are given
    /// (SIGHUP and SIGUSR1 are handled too), or `stop()`. Its long-running parts are services in
    /// one `ServiceGroup`, stopped in the reverse of the order below: the control service first
    /// (STOPPING=1, no more reloads), then the poll engine (in-flight fetches cancelled, what was
    /// fetched written, the index saved), the delivery engine (what it has not delivered stays in
    /// the outbox), `/metrics`, and the heartbeat last, so the watchdog is fed while the others
    /// drain. Then the fetchers close and a shared store forgets this instance.
    /// Throws only when a service fails (none is expected to).
    public func run(signals: DaemonSignals? = nil) async throws {
        let service = self.service, loop = dispatchLoop, metrics = self.metrics
        let evidence = HeartbeatService.Evidence()
        typealias Part = ServiceGroupConfiguration.ServiceConfiguration
        var services = [Part(service: HeartbeatService(daemon: self, notify: notify, evidence: evidence, dispatchLoop: loop),
                             serviceName: "heartbeat")]
        if let metrics {
            services.append(Part(service: ClosureService { try? await gracefulShutdown(); metrics.stop() },
                                 serviceName: "metrics"))
        }
        services.append(Part(service: ClosureService { await cancelWhenGracefulShutdown { await loop.run() } },
                             serviceName: "delivery engine"))
        services.append(Part(service: ClosureService {
            await cancelWhenGracefulShutdown { await service.run { evidence.pollerTicked(fetcherOK: $0) } }
            evidence.pollerStopped()
        }, serviceName: "poll engine"))
        services.append(Part(service: ControlService(daemon: self, notify: notify, signals: signals, heartbeat: evidence),
                             serviceName: "control"))
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: services, gracefulShutdownSignals: signals == nil ? [] : DaemonSignals.shutdown, logger: logger))
        self.group = group
        if stopRequested { await group.triggerGracefulShutdown() }
        logger.info("feedwatch started", metadata: ["config": "\(config.file)", "sources": "\(config.sources.count)",
                                                    "topics": "\(watchlist.topics.count)", "state": "\(store.location)"])
        var failure: (any Error)?
        do { try await group.run() } catch {
            logger.error("a service failed; stopping", metadata: ["error": "\(error)"])
            failure = error
        }
        await service.saveSnapshot()
        await shutdownTransport()
        metrics?.stop()
        retireFromStore()
        logger.info("feedwatch stopped")
        if let failure { throw failure }
    }

    /// Starts a graceful shutdown of `run` (also when called before it): what SIGTERM does.
    public func stop() async {
        stopRequested = true
        await group?.triggerGracefulShutdown()
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


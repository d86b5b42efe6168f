import FeedwatchClassify
import FeedwatchConfig
import FeedwatchDedup
import FeedwatchHTTP
import FeedwatchModel
import FeedwatchStore
import Foundation
import Logging

/// Polls the configured sources on their schedules and runs each result
/// through the story pipeline. Fetching and parsing run concurrently (the
/// transport bounds connections in total and per host); processing is serial
/// on this actor, one store transaction per source.
public actor PollService {
    struct Scheduled {
        var source: SourceConfig
        var state: SourceState
        var inFlight = false
        var due: Date
    }

    var config: Config
    var policy: PollPolicy
    var scheduled: [String: Scheduled] = [:]
    var pipeline: StoryPipeline
    /// Not-modified polls whose new state is not written yet (see `flushUnsaved`).
    var unsaved: [String: SourceState] = [:]
    var unsavedCounters: [String: Int] = [:]
    /// On a shared store: the sources this instance claimed (`PollService+Claims`); nil on SQLite.
    var claims: SourceClaims?
    let store: any Store
    let transport: any HTTPTransport
    let logger: Logger
    let now: @Sendable () -> Date
    let random: @Sendable () -> Double
    /// What the loop waits on between ticks; a test clock in tests (`FeedwatchTestSupport.ManualClock`).
    let clock: any Clock<Duration>
    /// Called after a commit that queued alerts.
    let onAlerts: @Sendable () -> Void
    public internal(set) var stats = LiveStats()
    /// Fetch durations, for `/metrics`.
    var fetchSeconds = Histogram.fetchSeconds()
    /// Last time a fetch finished, or when nothing was in flight: the fetcher's heartbeat.
    var lastFetchProgress = ContinuousClock.now
    var lastSnapshot = ContinuousClock.now
    var lastPrune = ContinuousClock.now
    /// Results the loop holds for the rest of their burst (its `pending`): in flight no longer,
    /// not written yet. Tests read it to know the loop has nothing left to do but wait.
    var resultsWaiting = 0

    static let dedupBlob = "dedup"

    /// Notes of the sources being parsed, read back after a crash (`applyCrashNotes`).
    let crashGuard: CrashGuard
    /// Parses suspects alone; used by fetch jobs only while there are suspects.
    let gate = WorkGate()
    /// Sources with strikes or quarantined: parsed alone.
    var suspects: Set<String> = []
    /// Reads the article pages behind teasers (`full_text`).
    let pages: PageReader
    var crashNotesApplied = false
    /// Crashes while its content was being parsed that quarantine a source.
    static let strikesToQuarantine = 2

    /// - Parameters:
    ///   - pageTransport: fetches article pages (`full_text`); `transport` when nil.
    ///   - now, clock: the wall clock scheduling reads and the clock the loop sleeps on; tests
    ///     pass a manual clock and a `now` that follows it.
    public init(config: Config, watchlist: Watchlist, store: any Store, transport: any HTTPTransport, logger: Logger,
                pageTransport: (any HTTPTransport)? = nil,
                onAlerts: @escaping @Sendable () -> Void = {},
                now: @escaping @Sendable () -> Date = { Date() },
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
                clock: any Clock<Duration> = ContinuousClock()) throws {
        self.config = config
        self.policy = PollPolicy(schedule: config.schedule)
        self.store = store
        self.transport = transport
        self.logger = logger
        self.onAlerts = onAlerts
        self.now = now
        self.random = random
        self.clock = clock
        crashGuard = CrashGuard(stateDir: config.stateDir)
        pages = PageReader(transport: pageTransport ?? transport, store: store, limits: config.fullText, logger: logger, now: now)
        pipeline = StoryPipeline(preparer: StoryPreparer(classifier: Classifier(watchlist: watchlist),
                                                         dedupConfig: DedupConfig(window: config.retention.stories)),
                                 catchUp: config.catchUp, topics: watchlist.topics.map(\.name),
                                 sinks: SinkRoutes(config))
        pipeline.preparer.teaserWords = config.fullText.teaserWords
        pipeline.indexCapacity = config.retention.maxStories
        pipeline.storyRetention = config.retention.stories
        pipeline.onIndexError = { [logger] error in
            logger.error("dedup index snapshot unreadable; starting an empty index", metadata: ["error": "\(error)"])
        }
        let start = now()
        for source in config.sources {
            let s = try Self.schedule(source, store: store, start: start)
            scheduled[source.url] = s
            if s.state.gone {
                // Said again at every start: a stopped source must not be forgotten silently.
                logger.error("source answered 410 Gone earlier: not polled; change or remove its url in the config",
                             metadata: ["source.id": "\(source.name)", "feed.url": "\(s.state.fetchURL)"])
            }
        }
        stats.sources = scheduled.count
        suspects = Set(scheduled.filter { $0.value.state.strikes > 0 || $0.value.state.isQuarantined }.keys)
        if let shared = store as? any SharedStore, case .postgresql(let pg) = config.store {
            try shared.registerSources(config.sources.map(\.url))
            claims = SourceClaims(store: shared, lease: pg.lease)
            pipeline.shared = true
        }
    }

    /// The stored state of a source (or a fresh one): due now if never polled
    /// or overdue, else when its last poll scheduled it, so a restart does
    /// not re-poll everything at once.
    static func schedule(_ source: SourceConfig, store: any Store, start: Date) throws -> Scheduled {
        let state = try store.sourceState(url: source.url) ?? SourceState(url: source.url)
        return Scheduled(source: source, state: state, due: max(state.nextPollAt ?? start, start))
    }

    // MARK: - One pass

    /// Polls every source that is not gone once, processes what came back and
    /// saves the dedup index: `feedwatch run --once`.
    @discardableResult
    public func pollAll() async -> ProcessReport {
        applyCrashNotes()
        if claims != nil { return await pollClaimed() }
        var total = ProcessReport()
        var jobs = scheduled.values.filter { !$0.state.gone }.map { job(for: $0) }.makeIterator()
        await withTaskGroup(of: FetchResult.self) { group in
            func startNext() -> Bool {
                guard let j = jobs.next() else { return false }
                scheduled[j.key]?.inFlight = true
                stats.inFlight += 1
                group.addTask { await j.run() }
                return true
            }
            for _ in 0..<window where !startNext() { break }
            // Results are written sixteen to a transaction: one commit per feed made a cold pass
            // write ten times its database through the WAL (90 MB for 1,000 feeds). Each feed
            // still has its own savepoint: one that fails to store takes nothing else with it.
            var batch: [FetchResult] = []
            for await result in group {
                batch.append(result)
                _ = startNext()
                if batch.count >= Self.resultsPerCommit {
                    total.add(handle(batch))
                    batch = []
                }
            }
            total.add(handle(batch))
        }
        flushUnsaved()
        saveSnapshot()
        return total
    }

    static let resultsPerCommit = 16

    /// Fetches in flight at most; fewer than `resultsPerCommit` finished ones more may wait for
    /// their commit. Parsed feeds wait for the serial pipeline; without this bound a cold start
    /// with thousands of sources would hold every parsed feed in memory at once.
    var window: Int { config.limits.concurrency + max(8, config.limits.concurrency / 4) }

    // MARK: - The loop

    /// Polls sources as they fall due until cancelled. In-flight fetches are
    /// cancelled with the task; their sources simply poll again next run.
    public func run(tick: Duration = .seconds(1), onTick: @escaping @Sendable (Bool) -> Void = { _ in }) async {
        applyCrashNotes()
        enum Event: Sendable { case fetched(FetchResult), tick }
        await withTaskGroup(of: Event.self) { group in
            var sleeping = false
            // Results wait for the rest of their burst, up to `resultsPerCommit` or the next tick,
            // and are written in one transaction (see `pollAll`); a lone result is written at once.
            var pending: [FetchResult] = []
            while !Task.isCancelled {
                let t = now()
                let running = stats.inFlight - pending.count
                for j in nextJobs(at: t, limit: max(0, window - running)) {
                    if claims == nil {      // claimed jobs are counted when claimed
                        scheduled[j.key]?.inFlight = true
                        stats.inFlight += 1
                    }
                    group.addTask { .fetched(await j.run()) }
                }
                if !sleeping {
                    sleeping = true
                    // With the window full, the next finished fetch wakes the loop; do not spin on overdue sources.
                    let wait = running >= window ? tick : min(tick, nextDueIn(at: t))
                    let clock = self.clock
                    group.addTask {
                        try? await clock.sleep(for: wait)
                        return .tick
                    }
                }
                guard let event = await group.next() else { break }
                switch event {
                case .fetched(let r):
                    if Task.isCancelled { break }
                    pending.append(r)
                    if pending.count >= min(Self.resultsPerCommit, stats.inFlight) {
                        handle(pending)
                        pending = []
                    }
                    resultsWaiting = pending.count
                case .tick:
                    sleeping = false
                    handle(pending)
                    pending = []
                    resultsWaiting = 0
                    flushUnsaved()
                    if stats.inFlight == 0 { lastFetchProgress = .now }
                    if ContinuousClock.now - lastSnapshot > .seconds(60) { saveSnapshot() }
                    if ContinuousClock.now - lastPrune > .seconds(3600) { prune() }
                    onTick(fetcherIsProgressing)
                }
            }
            handle(pending)     // fetched before the stop: written, not fetched again
            resultsWaiting = 0
            group.cancelAll()
        }
        flushUnsaved()
        saveSnapshot()
    }

    /// False when fetches are in flight and none finished for longer than any
    /// fetch may take: the fetcher is stuck, and the watchdog should not be fed.
    var fetcherIsProgressing: Bool {
        stats.inFlight == 0 || ContinuousClock.now - lastFetchProgress < .seconds(Int64(config.limits.timeout) + 60)
    }

    func dueJobs(at t: Date) -> [FetchJob] {
        scheduled.values.filter { !$0.inFlight && !$0.state.gone && $0.due <= t }
            .sorted { $0.due < $1.due }
            .map { job(for: $0) }
    }

    func nextDueIn(at t: Date) -> Duration {
        // Shared: the database, not memory, knows what is due; it is asked every tick.
        if claims != nil { return .seconds(3600) }
        let next = scheduled.values.filter { !$0.inFlight && !$0.state.gone }.map(\.due).min()
        guard let next else { return .seconds(3600) }
        return .milliseconds(Int64(max(0, next.timeIntervalSince(t)) * 1000) + 1)
    }

    func job(for scheduledSource: Scheduled) -> FetchJob {
        if scheduledSource.state.isQuarantined { refreshQuarantine(scheduledSource.source.url) }
        let s = scheduled[scheduledSource.source.url] ?? scheduledSource
        let limits = config.limits
        let request = HTTPRequest(url: s.state.fetchURL,
                                  validators: Validators(etag: s.state.etag, lastModified: s.state.lastModified),
                                  connectTimeout: .milliseconds(Int64(limits.connectTimeout * 1000)),
                                  totalTimeout: .milliseconds(Int64(limits.timeout * 1000)),
                                  maxBodyBytes: limits.maxBodyBytes)
        let store = self.store, source = s.source, preparer = pipeline.preparer
        let neverFetched = s.state.lastSuccess == nil
        let suspect = suspects.contains(s.source.url)
        let reader = pages
        let readPages: (@Sendable (Feed, [String: PreparedEntry]) async -> [String: PreparedEntry])? =
            source.fullText == .never ? nil : { @Sendable [self] feed, prepared in
                await Self.readPages(feed, prepared: prepared, source: source, preparer: preparer, reader: reader, service: self)
            }
        return FetchJob(key: s.source.url, request: request, transport: transport, now: now, crashGuard: crashGuard,
                        gate: suspects.isEmpty ? nil : gate, alone: suspect,
                        quarantineDigest: s.state.isQuarantined ? s.state.quarantineDigest ?? "" : nil,
                        readPages: readPages) { feed in
            // What the store has not seen yet is prepared here, in parallel with other fetches;
            // `markSeen` in the pipeline stays the authority. A source never fetched has seen
            // nothing: no need to wait for the store's lock to learn that.
            let unseen = neverFetched ? nil : (try? store.unseen(sourceURL: source.url, entryIDs: feed.entries.map(\.id))) ?? []
            var prepared: [String: PreparedEntry] = [:]
            prepared.reserveCapacity(unseen?.count ?? feed.entries.count)
            for entry in feed.entries where unseen?.contains(entry.id) ?? true {
                guard prepared[entry.id] == nil else { continue }
                prepared[entry.id] = preparer.prepare(entry, source: source, feedLanguage: feed.language)
            }
            return prepared
        }
    }

    /// Expires old stories from the dedup index and, once its journal has grown past a quarter
    /// of the index (at least `journalSlack` entries), folds the journal into a new snapshot.
    /// The journal alone is already durable: snapshots only bound how much a start replays, so
    /// a pass that added a few stories does not rewrite the whole index.
    public func saveSnapshot() {
        if claims != nil { return saveSharedSnapshot() }
        lastSnapshot = .now
        guard pipeline.dirty, let dedup = pipeline.dedup else { return }
        dedup.expire(before: now().addingTimeInterval(-config.retention.stories))
        // Gauges for `feedwatch status`: an index at its bound says `retention.max_stories` decides
        // how long unalerted stories are remembered.
        do {
            try store.transaction {
                try store.setCounter("dedup.stories", to: dedup.count)
                try store.setCounter("dedup.pinned", to: dedup.pinnedCount)
                try store.setCounter("dedup.max_stories", to: config.retention.maxStories)
            }
        } catch {
            logger.error("cannot write the dedup gauges", metadata: ["error": "\(error)"])
        }
        guard pipeline.journalled >= max(Self.journalSlack, dedup.count / 4) else { return }
        do {
            try store.saveSnapshot(legacyBlob: Self.dedupBlob) { emit in try dedup.writeSnapshot(to: emit) }
            pipeline.dirty = false
            pipeline.journalled = 0
        } catch {
            logger.error("cannot save the dedup index", metadata: ["error": "\(error)"])
        }
    }

    /// Journal entries a start may replay without a snapshot, whatever the index size.
    static let journalSlack = 2_000

    /// Deletes state past its retention window.
    public func prune() {
        lastPrune = .now
        let t = now()
        do {
            try store.prunePages(before: t.addingTimeInterval(-config.retention.stories), now: t)
        } catch {
            logger.error("prune of article pages failed", metadata: ["error": "\(error)"])
        }
        do {
            let r = try store.prune(seenBefore: t.addingTimeInterval(-config.retention.seen),
                                    alertsBefore: t.addingTimeInterval(-config.retention.alerts))
            if r.seenEntries + r.outboxRows + r.alerts > 0 {
                logger.info("pruned state", metadata: ["seen": "\(r.seenEntries)", "outbox": "\(r.outboxRows)",
                                                       "alerts": "\(r.alerts)"])
            }
        } catch {
            logger.error("prune failed", metadata: ["error": "\(error)"])
        }
    }
}

/// One fetch, ready to run off the actor.
struct FetchJob: Sendable {
    var key: String
    var request: HTTPRequest
    var transport: any HTTPTransport
    var now: @Sendable () -> Date
    /// Notes the parse, so that content which kills the process is named at the next start.
    var crashGuard: CrashGuard
    /// While there are suspects: the gate suspects pass alone.
    var gate: WorkGate?
    /// A suspect: parsed alone, its content's digest noted.
    var alone: Bool
    /// For a quarantined source, the digest of the content that crashed feedwatch: that content
    /// is not parsed again ("" when unknown: any 2xx body is tried, alone).
    var quarantineDigest: String?
    /// Reads the pages of teaser entries and prepares them again (nil: `full_text: never`).
    var readPages: (@Sendable (Feed, [String: PreparedEntry]) async -> [String: PreparedEntry])?
    /// Prepares a fetched feed's unseen entries.
    var prepare: @Sendable (Feed) -> [String: PreparedEntry]

    func run() async -> FetchResult {
        let result: Result<HTTPResponse, any Error>
        do { result = .success(try await transport.send(request)) } catch { result = .failure(error) }
        guard case .success(var response) = result, (200..<300).contains(response.status) else {
            if let quarantineDigest, case .success(var response) = result, response.status == 304 {
                response.body = Data()
                return Self.stillQuarantined(key: key, digest: quarantineDigest, response: response, at: now())
            }
            return FetchResult.make(key: key, url: request.url, result: result, at: now())
        }
        let digest = alone ? CrashGuard.digest(of: response.body) : nil
        if let quarantineDigest, digest == quarantineDigest {
            response.body = Data()
            return Self.stillQuarantined(key: key, digest: quarantineDigest, response: response, at: now())
        }
        if let gate { await gate.enter(alone: alone) }
        let note = crashGuard.begin(url: key, digest: digest)
        #if DEBUG
        // Tests of poison-source containment need a process that really dies mid-parse.
        if let marker = ProcessInfo.processInfo.environment["FEEDWATCH_TEST_CRASH_ON"], !marker.isEmpty,
           response.body.range(of: Data(marker.utf8)) != nil {
            abort()
        }
        #endif
        var fetched = FetchResult.make(key: key, url: request.url, result: result, at: now())
        if case .feed(let parsed) = fetched.body { fetched.prepared = prepare(parsed.completeFeed) }
        crashGuard.end(slot: note)
        if let gate { await gate.leave(alone: alone) }
        if let readPages, case .feed(let parsed) = fetched.body, fetched.prepared.values.contains(where: \.wantsPage) {
            fetched.prepared = await readPages(parsed.completeFeed, fetched.prepared)
        }
        return fetched
    }

    /// The quarantined content again (or a 304): not parsed; the source backs off as a failing one.
    static func stillQuarantined(key: String, digest: String, response: HTTPResponse, at: Date) -> FetchResult {
        FetchResult(key: key, body: .failed(.quarantined(digest: digest)), response: response, fetchedAt: at)
    }
}

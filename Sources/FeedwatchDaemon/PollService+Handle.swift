import FeedwatchConfig
import FeedwatchHTTP
import FeedwatchModel
import FeedwatchStore
import Foundation
import Logging

extension PollService {
    /// Applies fetch results in one store transaction, each in its own savepoint. If the
    /// transaction itself fails (it cannot begin, or commit), what it applied in memory is read
    /// back from the store (`restoreFromStore`) and the results it never reached are applied one
    /// by one, so no source is left waiting on a fetch that is over.
    @discardableResult
    func handle(_ results: [FetchResult]) -> ProcessReport {
        claims == nil ? applyResults(results) : handleClaimed(results)
    }

    func applyResults(_ results: [FetchResult]) -> ProcessReport {
        var total = ProcessReport()
        guard !results.isEmpty else { return total }
        var applied = 0
        do {
            try store.transaction {
                for result in results {
                    total.add(handle(result))
                    applied += 1
                }
            }
        } catch {
            logger.error("cannot store the results of a poll; those feeds are fetched whole again",
                         metadata: ["sources": "\(results.count)", "error": "\(error)"])
            restoreFromStore(results[..<applied].map(\.key))
            for result in results[applied...] { total.add(handle(result)) }
        }
        return total
    }

    /// After the store refused a write: sources' states and the dedup index are read back from
    /// the store, which never got what memory applied. At their next poll (when the schedule
    /// says: a full disk must not turn into a hammering of the feeds) those sources fetch without
    /// the validators the store never kept, and their entries go through the pipeline again (an
    /// alert the store lost is raised then, with the same id).
    func restoreFromStore(_ keys: [String]) {
        guard !keys.isEmpty else { return }
        pipeline.dedup = nil            // read from its snapshot and journal on next use
        for key in keys {
            guard var entry = scheduled[key] else { continue }
            entry.state = (try? store.sourceState(url: entry.source.url)) ?? SourceState(url: entry.source.url)
            scheduled[key] = entry
            unsaved[key] = nil
        }
    }

    /// Applies one fetch result: scheduling, health, validators, and — for a
    /// feed — the story pipeline, all in one store transaction.
    @discardableResult
    func handle(_ result: FetchResult) -> ProcessReport {
        stats.inFlight = max(0, stats.inFlight - 1)
        lastFetchProgress = .now
        guard var entry = scheduled[result.key] else { return ProcessReport() }   // removed by a reload meanwhile
        unsaved[result.key] = nil           // superseded by what this result writes
        entry.inFlight = false
        // Cancelled by the shutdown: not the source's failure; it polls again at the next start.
        if case .failed(let failure) = result.body, failure.isCancellation, Task.isCancelled {
            scheduled[result.key] = entry
            return ProcessReport()
        }
        let source = entry.source
        let previous = entry.state
        let t = result.fetchedAt
        let outcome = result.outcome(requestedURL: previous.fetchURL)
        let health = SourceHealth(lastAttempt: previous.lastAttempt, lastSuccess: previous.lastSuccess,
                                  consecutiveFailures: previous.consecutiveFailures, lastError: previous.lastError,
                                  gone: previous.gone)
        let decision = policy.decide(outcome: outcome, interval: source.interval, health: health, now: t, random: random())
        var state = previous
        state.lastAttempt = decision.health.lastAttempt
        state.lastSuccess = decision.health.lastSuccess
        state.consecutiveFailures = decision.health.consecutiveFailures
        state.lastError = decision.health.lastError
        state.gone = decision.health.gone
        state.nextPollAt = decision.nextPoll
        if let newURL = decision.newURL {
            state.currentURL = newURL
            logger.notice("source moved permanently; polling the new URL from now on",
                          metadata: ["source.id": "\(source.name)", "feed.url": "\(previous.fetchURL)", "feed.new_url": "\(newURL)"])
        }
        if let r = result.response, case .feed(let parsed) = result.body {
            // A cut-off body must be fetched whole again, not answered 304 until the feed changes.
            state.etag = parsed.truncated ? nil : r.headers.etag
            state.lastModified = parsed.truncated ? nil : r.headers.lastModified
        } else if let r = result.response, case .notModified = result.body {
            state.etag = r.headers.etag ?? state.etag
            state.lastModified = r.headers.lastModified ?? state.lastModified
        }
        stats.polls += 1
        if let r = result.response { fetchSeconds.observe(r.timings.total) }
        var report = ProcessReport()
        var stored = true
        var counters: [String: Int] = ["polls": 1]
        switch result.body {
        case .feed(let parsed):
            stats.fetched += 1
            if state.strikes > 0 || state.isQuarantined {
                logger.notice(state.isQuarantined ? "quarantined source's content changed and parsed cleanly: released"
                                                  : "suspect source parsed cleanly: its strikes are cleared",
                              metadata: ["source.id": "\(source.name)", "source.strikes": "\(state.strikes)"])
                state.strikes = 0
                state.quarantinedAt = nil
                state.quarantineDigest = nil
                suspects.remove(result.key)
            }
            if let damage = parsed.damage {
                logger.warning("feed is damaged; kept what could be recovered",
                               metadata: ["source.id": "\(source.name)", "feed.url": "\(state.fetchURL)", "feed.damage": "\(damage)"])
            }
            do {
                report = try store.transaction {
                    let r = try pipeline.process(feed: parsed.completeFeed, prepared: result.prepared, source: source, state: state,
                                                 firstPoll: previous.lastSuccess == nil, store: store, now: t)
                    counters["fetched"] = 1
                    counters["entries_new"] = r.new
                    counters["duplicates"] = r.duplicates
                    counters["alerts"] = r.alerts
                    counters["copies"] = r.copies
                    counters["backlog"] = r.backlog
                    try bump(counters)
                    return r
                }
            } catch {
                stored = false
                logger.error("cannot store the results of a poll; the feed is fetched whole again",
                             metadata: ["source.id": "\(source.name)", "error": "\(error)"])
            }
        case .notModified:
            stats.notModified += 1
            counters["not_modified"] = 1
            // Nothing but times and counters changed: written with the others of this pass or
            // second (`flushUnsaved`), not in a transaction each. A crash loses only when to poll next.
            unsaved[result.key] = state
            for (name, n) in counters { unsavedCounters[name, default: 0] += n }
        case .gone:
            stats.errors += 1
            counters["gone"] = 1
            logger.error("source answered 410 Gone: polling STOPPED; change or remove its url in the config",
                         metadata: ["source.id": "\(source.name)", "feed.url": "\(state.fetchURL)"])
            save(state, counters, source: source, health: healthAlert(source, state, at: t))
        case .failed(let failure):
            stats.errors += 1
            counters["fetch_errors"] = 1
            logger.warning("poll failed; backing off", metadata: [
                "source.id": "\(source.name)", "error": "\(failure)",
                "source.failures": "\(state.consecutiveFailures)",
                "source.next_poll": "\(state.nextPollAt.map { RFC3339.format($0) } ?? "never")",
            ])
            save(state, counters, source: source, health: healthAlert(source, state, at: t))
        }
        stats.alerts += report.alerts
        stats.copies += report.copies
        entry.state = state
        entry.due = state.nextPollAt ?? .distantFuture
        scheduled[result.key] = entry
        if !stored { restoreFromStore([result.key]) }
        if report.alerts > 0 {
            logger.info("new alerts", metadata: ["source.id": "\(source.name)", "alerts": "\(report.alerts)"])
            onAlerts()
        }
        return report
    }

    /// Writes the states and counters of not-modified polls held back by `handle`, in one transaction.
    func flushUnsaved() {
        guard !unsaved.isEmpty else { return }
        do {
            try store.transaction {
                for state in unsaved.values { try store.saveSourceState(state) }
                try bump(unsavedCounters)
            }
            unsaved = [:]
            unsavedCounters = [:]
        } catch {
            logger.error("cannot store source states", metadata: ["sources": "\(unsaved.count)", "error": "\(error)"])
        }
    }

    func save(_ state: SourceState, _ counters: [String: Int], source: SourceConfig, health: Alert? = nil) {
        do {
            let queued = try store.transaction {
                try store.saveSourceState(state)
                try bump(counters)
                return try health.map { alert in
                    try Outbox(store: store).queue(alert, routes: SinkRoutes(config), sourceTags: source.tags, language: nil,
                                                   at: state.lastAttempt ?? now())
                } ?? false
            }
            if queued { onAlerts() }
        } catch {
            logger.error("cannot store source state", metadata: ["source.id": "\(source.name)", "error": "\(error)"])
        }
    }

    private func bump(_ counters: [String: Int]) throws {
        for (name, n) in counters where n > 0 { try store.incrementCounter(name, by: n) }
    }

    /// The `source-health` alert when a failing streak reaches the configured
    /// length (once per streak) or the source is gone; nil otherwise.
    func healthAlert(_ source: SourceConfig, _ state: SourceState, at t: Date) -> Alert? {
        guard let after = config.health.alertAfterFailures,
              state.gone || state.consecutiveFailures == after else { return nil }
        let what = state.gone ? "gone (410), polling stopped" : "failing (\(state.consecutiveFailures) polls in a row)"
        // One streak, one id: the time the threshold was crossed.
        let streak = "health:\(source.url)@\(Int(t.timeIntervalSince1970))"
        return Alert(id: AlertID.make(topic: Self.healthTopic, cluster: streak), topic: Self.healthTopic,
                     score: Double(state.consecutiveFailures), matched: [], story: streak,
                     title: "Source \(source.name) is \(what): \(state.lastError ?? "")",
                     link: AlertLink.safe(state.fetchURL), source: source.name, outlets: [source.name], published: nil,
                     fetched: t, alerted: t)
    }

    static let healthTopic = AlertRoute.sourceHealthTopic
}

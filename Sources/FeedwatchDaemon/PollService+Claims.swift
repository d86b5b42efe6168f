import FeedwatchConfig
import FeedwatchModel
import FeedwatchStore
import Foundation
import Logging

/// Work sharing on a shared store: an instance polls only the sources it claimed. A claim takes
/// due sources with a lease (`claimDueSources`: `FOR UPDATE SKIP LOCKED`, so two instances never
/// take the same one), the lease is renewed while the fetch runs, and the result is saved only
/// if the lease is still this instance's, in the same transaction that lets go of it. A crashed
/// instance's sources come back when their leases run out. The database's row for a source, not
/// this process's memory, says when it is due. On SQLite none of this runs (`claims` is nil).
extension PollService {
    /// The jobs to start now, at most `limit`: on SQLite the due sources of the schedule in
    /// memory; on a shared store the sources claimed from the database.
    func nextJobs(at t: Date, limit: Int) -> [FetchJob] {
        guard claims != nil else { return Array(dueJobs(at: t).prefix(limit)) }
        renewClaims()
        return claimJobs(limit: limit)
    }

    /// Claims up to `limit` due sources (not more often than `claimEvery` unless the last claim
    /// was full) and makes their jobs. The claimed row's state replaces the one in memory:
    /// another instance may have polled the source since.
    func claimJobs(limit: Int, force: Bool = false) -> [FetchJob] {
        guard var c = claims, limit > 0 else { return [] }
        guard force || c.moreDue || ContinuousClock.now - c.lastClaim >= SourceClaims.claimEvery else { return [] }
        c.lastClaim = .now
        defer { claims = c }
        let states: [SourceState]
        do {
            // The per-host limit holds over all instances: a source under a live lease is a fetch in flight.
            states = try c.store.claimDueSources(limit: limit, lease: c.lease, excluding: c.foreign,
                                                 perHost: config.limits.perHost)
            databaseAnswered(&c)
        } catch {
            databaseFailed(&c, error)
            c.moreDue = false       // asked again at the next tick, not in a loop
            return []
        }
        c.moreDue = states.count == limit
        var jobs: [FetchJob] = []
        var foreign: [String] = []
        for state in states {
            guard var entry = scheduled[state.url], !entry.inFlight else {
                if scheduled[state.url] == nil { foreign.append(state.url) }
                continue
            }
            if entry.state.strikes != state.strikes || state.isQuarantined { suspectsChanged(state) }
            entry.state = state
            entry.due = state.nextPollAt ?? now()
            scheduled[state.url] = entry
            guard !state.gone else { continue }
            c.held.insert(state.url)
            let j = job(for: entry)
            scheduled[state.url]?.inFlight = true
            stats.inFlight += 1
            jobs.append(j)
        }
        if !foreign.isEmpty {
            // Listed by another instance's config: handed back at once and not claimed again
            // (until a reload), so the instances that list it poll it on time.
            logger.notice("the shared store lists sources this config does not; left to the instances that poll them",
                          metadata: ["sources": "\(foreign.count)"])
            c.foreign.formUnion(foreign)
            do { try c.store.releaseSources(foreign) } catch { databaseFailed(&c, error) }
        }
        return jobs
    }

    private func suspectsChanged(_ state: SourceState) {
        if state.strikes > 0 || state.isQuarantined { suspects.insert(state.url) } else { suspects.remove(state.url) }
    }

    /// Extends the leases of the sources being fetched, a third of a lease after the last renewal.
    /// One that comes back missing was taken over: its result will be dropped.
    func renewClaims() {
        guard var c = claims, !c.held.isEmpty,
              ContinuousClock.now - c.lastRenew >= .milliseconds(Int64(c.lease * 1000 / 3)) else { return }
        c.lastRenew = .now
        defer { claims = c }
        do {
            let kept = try c.store.renewSourceLeases(Array(c.held), lease: c.lease)
            databaseAnswered(&c)
            let lost = c.held.subtracting(kept)
            if !lost.isEmpty {
                logger.warning("lost the lease on sources being fetched; their results will not be saved",
                               metadata: ["sources": "\(lost.count)"])
            }
        } catch {
            databaseFailed(&c, error)
        }
    }

    /// Applies results of claimed sources, on a shared store: in one transaction that first
    /// renews their leases (which locks their rows: no other instance can take them over until
    /// it commits), applies those still held, and lets go of them. Results whose lease was
    /// taken over are dropped: the new holder polls the source. If the transaction fails (the
    /// database is gone), nothing of it is kept: memory forgets the dedup entries it applied,
    /// and the sources are polled again by whoever claims them next.
    func handleClaimed(_ results: [FetchResult]) -> ProcessReport {
        guard var c = claims, !results.isEmpty else { return ProcessReport() }
        let keys = results.map(\.key)
        var report = ProcessReport()
        var pending = results.count
        do {
            try store.transaction {
                let kept = try c.store.renewSourceLeases(keys, lease: c.lease)
                let mine = results.filter { kept.contains($0.key) }
                for r in results where !kept.contains(r.key) { drop(r) }
                pending = 0
                report = applyResults(mine)
                flushUnsaved()
                try c.store.releaseSources(mine.map(\.key))
            }
            databaseAnswered(&c)
        } catch {
            databaseFailed(&c, error)
            report = ProcessReport()
            stats.inFlight = max(0, stats.inFlight - pending)
            pipeline.indexStore.forget()    // read again from the store, which never got what memory applied
            for key in keys {
                scheduled[key]?.inFlight = false
                unsaved[key] = nil
            }
        }
        c.held.subtract(keys)
        claims = c
        return report
    }

    /// A result this instance no longer holds the lease for: not saved.
    private func drop(_ r: FetchResult) {
        stats.inFlight = max(0, stats.inFlight - 1)
        scheduled[r.key]?.inFlight = false
        logger.notice("result dropped: another instance took the source over", metadata: ["feed.url": "\(r.key)"])
    }

    /// `run --once` on a shared store: polls the due sources this instance can claim, a window
    /// at a time, until none is left.
    func pollClaimed() async -> ProcessReport {
        var total = ProcessReport()
        while true {
            let jobs = claimJobs(limit: window, force: true)
            // A full claim of sources other configs list is handed back; more may be due.
            guard !jobs.isEmpty || claims?.moreDue == true else { break }
            var results: [FetchResult] = []
            // The window's leases are renewed while its fetches run, as the daemon's loop renews
            // them: a fetch slower than the lease must not be taken over and polled twice.
            let every = Duration.milliseconds(Int64((claims?.lease ?? 120) * 1000 / 4))
            await withTaskGroup(of: FetchResult?.self) { group in
                for j in jobs { group.addTask { await j.run() } }
                group.addTask { try? await Task.sleep(for: every); return nil }
                var running = jobs.count
                while running > 0 {
                    guard let next = await group.next() else { break }
                    if let r = next {
                        results.append(r)
                        running -= 1
                    } else {
                        renewClaims()
                        group.addTask { try? await Task.sleep(for: every); return nil }
                    }
                }
                group.cancelAll()
            }
            for start in stride(from: 0, to: results.count, by: Self.resultsPerCommit) {
                total.add(handleClaimed(Array(results[start..<min(results.count, start + Self.resultsPerCommit)])))
            }
        }
        saveSnapshot()
        return total
    }

    /// Why the shared database is unusable, while it is: for STATUS= and `status`.
    public var storeProblem: String? { claims?.problem }

    private func databaseAnswered(_ c: inout SourceClaims) {
        guard c.problem != nil else { return }
        c.problem = nil
        logger.notice("the shared database answers again; claiming work")
    }

    private func databaseFailed(_ c: inout SourceClaims, _ error: any Error) {
        let message = "\(error)"
        if c.problem == nil {
            logger.error("the shared database failed; claiming no work until it answers",
                         metadata: ["error": "\(message)"])
        }
        c.problem = message
        c.held = []                 // their leases run out; nothing of theirs is saved
    }
}

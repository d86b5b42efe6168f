import FeedwatchConfig
import FeedwatchPostgres
import FeedwatchStore
import Foundation

extension Daemon {
    /// The store the config names: `feedwatch.db` in the state directory, locked so a second
    /// daemon on it fails fast; or the shared PostgreSQL database, where this instance announces
    /// itself with a heartbeat. Leases a crashed run of this instance left are released.
    static func openStore(_ config: Config) throws -> any Store {
        let store: any Store
        switch config.store {
        case .sqlite:
            store = try StateStore(path: config.databasePath, exclusive: true)
        case .postgresql(let pg):
            let shared = try PostgresStore(url: pg.url, password: try pg.resolvedPassword())
            try shared.heartbeat(lastPoll: nil)
            store = shared
        }
        // A crashed run's claimed-but-unfinished deliveries are due again right away.
        try Outbox(store: store).releaseLeases()
        return store
    }

    /// Tells a shared store this instance is alive (every STATUS= update, 5 s), with the time of
    /// its last poll when it polled since the previous heartbeat.
    func heartbeat() async {
        guard let shared = store as? any SharedStore else { return }
        let polls = await service.stats.polls
        defer { pollsAtHeartbeat = polls }
        do {
            try shared.heartbeat(lastPoll: polls > pollsAtHeartbeat ? Date() : nil)
            for id in try shared.reapInstances(silentFor: Self.silence(config)) {
                logger.notice("an instance is gone (its connection closed, or no heartbeat); its deliveries in flight are handed to the others",
                              metadata: ["instance": "\(id)"])
            }
        } catch {
            // The poll service says so once, at the change; not every five seconds.
            guard await service.storeProblem == nil else { return }
            logger.warning("heartbeat to the shared store failed", metadata: ["error": "\(error)"])
        }
    }

    /// How long an instance may be silent before the others take it for dead: three missed
    /// heartbeats at least, and no less than a source lease.
    static func silence(_ config: Config) -> TimeInterval {
        guard case .postgresql(let pg) = config.store else { return .infinity }
        return max(pg.lease, 15)
    }

    /// At a clean stop: a shared store forgets this instance and what it held.
    func retireFromStore() {
        guard let shared = store as? any SharedStore else { return }
        do { try shared.retire() } catch {
            logger.warning("could not retire from the shared store", metadata: ["error": "\(error)"])
        }
    }
}

import FeedwatchAlert
import FeedwatchModel
import FeedwatchStore
import Foundation
import Logging

/// Scheduled digests (an e-mail sink's `digest: 30m`): such a sink gets one message per topic per
/// window instead of one per alert.
///
/// Windows are fixed slices of wall-clock time (multiples of the window since the epoch: with
/// 30m, :00 and :30), so a row's window follows from its `created_at` alone and needs no state of
/// its own. The waiting happens in the outbox, not in memory: the first time a row is claimed
/// before its window has ended, its claim is handed back with the row due at the window's end
/// (its attempt not counted). Holding it in memory instead would outlive the 5-minute lease (the
/// row would be claimed again and again, counting attempts never made), and a restart would
/// forget when the window ends; this way a row waiting for its digest is an ordinary pending row
/// that survives a crash or restart and is claimed again, once, when its digest is due. Rows
/// claimed after their window has ended are gathered per (sink, topic) during the round and
/// replaced at its end, in one transaction, by one digest alert queued for that sink (delivered,
/// retried and dead-lettered like any alert); a crash before that commit leaves them pending.
extension AlertDispatcher {
    /// A digest carries at most this many alerts; more make a second message.
    static var maxWindowItems: Int { 200 }

    /// The end of the window `created` falls in.
    static func windowEnd(_ created: Date, window: TimeInterval) -> Date {
        Date(timeIntervalSince1970: (floor(created.timeIntervalSince1970 / window) + 1) * window)
    }

    /// True when `item` (claimed for a digest sink) was taken out of the round: put back to wait for
    /// its window, or gathered for this round's digest. Digests themselves go out as claimed.
    func holdForWindow(_ item: OutboxItem, window: TimeInterval, now t: Date) -> Bool {
        guard let alert = try? AlertPayload.decode(item.payload), alert.kind != .digest else { return false }
        let due = Self.windowEnd(item.createdAt, window: window)
        if due > t {
            do {
                try outbox.handBack(item, due: due, reason: "waiting for the digest due at \(RFC3339.format(due))")
            } catch {
                logger.error("recording delivery outcome failed",
                             metadata: ["alert.id": "\(item.alertID)", "alert.sink": "\(item.sink)", "error": "\(error)"])
            }
            outcomes.held += 1
            return true
        }
        let key = FloodState.Key(sink: item.sink, topic: alert.topic)
        var list = windowed[key] ?? []
        if !list.contains(where: { $0.item.id == item.id }) { list.append(FloodState.Held(item: item, alert: alert)) }
        windowed[key] = list
        return true
    }

    /// Replaces the rows gathered this round by one digest per (sink, topic); returns how many were queued.
    func flushWindows() -> Int {
        guard !windowed.isEmpty else { return 0 }
        let t = now()
        var sent = 0
        let keys = windowed.keys.sorted { ($0.sink, $0.topic) < ($1.sink, $1.topic) }
        for key in keys {
            let held = (windowed[key] ?? []).sorted { $0.item.id < $1.item.id }
            for start in stride(from: 0, to: held.count, by: Self.maxWindowItems) {
                let part = Array(held[start..<min(start + Self.maxWindowItems, held.count)])
                let n = part.count
                let digest = AlertDigest.make(topic: key.topic, sink: key.sink, items: part.map(\.alert), now: t,
                                              title: "\(n) alert\(n == 1 ? "" : "s") on \(key.topic)")
                do {
                    try outbox.queueDigest(digest, sink: key.sink, replacing: part.map(\.item), at: t)
                    sent += 1
                    logger.info("digest queued", metadata: ["alert.id": "\(digest.id)", "alert.sink": "\(key.sink)",
                                                            "topic": "\(key.topic)", "digest.items": "\(n)"])
                } catch {
                    // The rows stay leased: claimed again when the lease runs out, into a later digest.
                    logger.error("queueing digest failed", metadata: ["alert.sink": "\(key.sink)", "error": "\(error)"])
                }
            }
        }
        windowed = [:]
        return sent
    }
}

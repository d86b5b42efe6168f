import FeedwatchAlert
import FeedwatchModel
import FeedwatchStore
import Foundation

/// The dispatcher's flood-control memory: a token bucket per (sink, topic) and
/// the outbox rows held back for the next digest. Held rows stay leased in the
/// store, so if the process dies they are simply claimed again later.
struct FloodState {
    struct Key: Hashable {
        var sink: String
        var topic: String
    }

    struct Held {
        var item: OutboxItem
        var alert: Alert
    }

    private var buckets: [Key: TokenBucket] = [:]
    private var held: [Key: [Held]] = [:]

    var heldCount: Int { held.values.reduce(0) { $0 + $1.count } }
    var heldKeys: [Key] { held.keys.sorted { ($0.sink, $0.topic) < ($1.sink, $1.topic) } }

    /// True if an alert for (sink, topic) may go now. While alerts are held, new
    /// ones queue behind them (into the digest) instead of overtaking.
    mutating func admit(sink: String, topic: String, policy: FloodPolicy, now: Date) -> Bool {
        let key = Key(sink: sink, topic: topic)
        guard held[key]?.isEmpty ?? true else { return false }
        return take(key, policy: policy, now: now)
    }

    /// Takes a token for `key` if one is available.
    mutating func take(_ key: Key, policy: FloodPolicy, now: Date) -> Bool {
        var b = buckets[key] ?? TokenBucket(capacity: policy.burst, refillInterval: policy.interval, now: now)
        if b.capacity != Double(max(policy.burst, 1)) || b.refillInterval != max(policy.interval, 0.001) {
            b = TokenBucket(capacity: policy.burst, refillInterval: policy.interval, now: now)  // reloaded policy
        }
        let ok = b.take(now: now)
        buckets[key] = b
        return ok
    }

    mutating func hold(sink: String, topic: String, item: OutboxItem, alert: Alert) {
        let key = Key(sink: sink, topic: topic)
        var list = held[key] ?? []
        // A lease that expired while held brings the same row back: keep one copy.
        if let i = list.firstIndex(where: { $0.item.id == item.id }) {
            list[i] = Held(item: item, alert: alert)
        } else {
            list.append(Held(item: item, alert: alert))
        }
        held[key] = list
    }

    func peek(_ key: Key, limit: Int) -> [Held] {
        Array((held[key] ?? []).sorted { $0.item.id < $1.item.id }.prefix(max(limit, 1)))
    }

    /// Removes and returns the first `limit` held rows of `key`.
    mutating func release(_ key: Key, limit: Int) -> [OutboxItem] {
        let sorted = (held[key] ?? []).sorted { $0.item.id < $1.item.id }
        let taken = sorted.prefix(limit)
        let rest = Array(sorted.dropFirst(taken.count))
        held[key] = rest.isEmpty ? nil : rest
        return taken.map(\.item)
    }
}

import Foundation

/// The arrival time of each story of a stream replayed by `feedwatch dedup`, from the dates the
/// stories carry, and when the index's window moves.
///
/// A story's `published` date is the publisher's word: a date far ahead (9999-12-31, a year typed
/// wrong) must not become the stream's present, or the window would expire every story indexed
/// so far; a date behind the window would index the story already dead. So a date is taken only
/// between the window's start and the later of the wall clock and the newest date taken, plus a
/// day of clock skew; any other date, or none, is read as "now" (the newest date taken, or the
/// wall clock before any).
public struct ArrivalClock: Sendable {
    public let window: TimeInterval
    /// The newest date taken so far.
    public private(set) var newest: Date?
    /// Where the window was last moved from (it moves once an hour of stream time at most).
    private var movedAt: Date?

    /// Clock skew tolerated ahead of the wall clock.
    public static let skew: TimeInterval = 86_400

    public init(window: TimeInterval) {
        self.window = window
    }

    /// The arrival time of a story dated `published`, read at wall-clock time `now`, and the date
    /// the index should expire stories before, when the window moved.
    public mutating func arrival(published: Date?, now: Date) -> (at: Date, expireBefore: Date?) {
        let present = newest ?? now
        let latest = max(now, present).addingTimeInterval(ArrivalClock.skew)
        var at = present
        if let published, published <= latest, newest.map({ published >= $0.addingTimeInterval(-window) }) ?? true {
            at = published
        }
        guard newest.map({ at > $0 }) ?? true else { return (at, nil) }
        newest = at
        if let m = movedAt, at <= m.addingTimeInterval(3600) { return (at, nil) }
        movedAt = at
        return (at, at.addingTimeInterval(-window))
    }
}

import Foundation

extension CatchUp {
    /// Whether an entry dated `date` is backlog (never alerts; indexed for dedup if it matches a
    /// topic) when fetched at `now`.
    /// An undated entry is backlog on a source's first poll (it may be years old) and news after.
    public func isBacklog(_ date: Date?, firstPoll: Bool, now: Date) -> Bool {
        guard let date else { return firstPoll }
        return date < now.addingTimeInterval(-maxAge)
    }
}

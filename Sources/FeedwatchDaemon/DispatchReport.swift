/// What a dispatcher round did, for logs, STATUS= and tests.
public struct DispatchReport: Sendable, Equatable {
    public var claimed = 0
    public var delivered = 0
    public var retried = 0
    public var dead = 0
    /// Held back by flood control this round.
    public var held = 0
    /// Digest alerts queued this round.
    public var digests = 0
    /// Alert updates queued this round (`AlertDispatcher+Updates`).
    public var updates = 0

    public init() {}

    mutating func add(_ r: DispatchReport, includingClaimed: Bool = true) {
        if includingClaimed { claimed += r.claimed }
        delivered += r.delivered
        retried += r.retried
        dead += r.dead
        held += r.held
        digests += r.digests
        updates += r.updates
    }
}

import FeedwatchStore
import Foundation

/// What an instance polling a shared store keeps about the sources it holds
/// (`PollService+Claims`): the claims in flight, when it last asked for more, and whether the
/// database answers.
struct SourceClaims {
    let store: any SharedStore
    /// Seconds a claim lasts without renewal (`store.lease`).
    var lease: TimeInterval
    /// Sources claimed and being fetched: renewed until their result is saved.
    var held: Set<String> = []
    var lastClaim = ContinuousClock.now - .seconds(3600)
    var lastRenew = ContinuousClock.now
    /// The last claim took all it asked for: more may be due, ask again without waiting.
    var moreDue = true
    /// Why the database is unusable, while it is (nil when it answers).
    var problem: String?
    /// Sources in the database that this instance's config does not list: not claimed.
    var foreign: Set<String> = []

    init(store: any SharedStore, lease: TimeInterval) {
        self.store = store
        self.lease = lease
    }

    /// Claims are asked for at most this often, unless the previous one was full.
    static let claimEvery: Duration = .milliseconds(500)
}

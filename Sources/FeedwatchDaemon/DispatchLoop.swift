import Foundation
import Synchronization

/// Runs the dispatcher's rounds — on every wake-up and at least every tick —
/// and records when a round last completed: the dispatcher's heartbeat for
/// the watchdog.
public final class DispatchLoop: Sendable {
    let dispatcher: AlertDispatcher
    private let wakeups: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation
    private let lastRound = Mutex(ContinuousClock.now)

    public init(dispatcher: AlertDispatcher) {
        self.dispatcher = dispatcher
        (wakeups, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks for a round now (new alerts were committed).
    public func wake() { continuation.yield() }

    /// Time since the last completed round.
    public var sinceLastRound: Duration { ContinuousClock.now - lastRound.withLock { $0 } }

    /// Until cancelled. A delivery interrupted by cancellation stays in the outbox.
    public func run(tick: Duration = .seconds(1)) async {
        let ticker = Task { [continuation] in
            while !Task.isCancelled {
                do { try await Task.sleep(for: tick) } catch { return }
                continuation.yield()
            }
        }
        defer { ticker.cancel() }
        await round()
        for await _ in wakeups {
            if Task.isCancelled { break }
            await round()
        }
    }

    private func round() async {
        await dispatcher.drain()
        lastRound.withLock { $0 = .now }
    }
}

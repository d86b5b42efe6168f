import Foundation
import Synchronization

/// Runs the dispatcher's rounds — on every wake-up (the poll service committed
/// alerts to the `Outbox`) and at least every tick — and records when a round
/// last completed: the dispatcher's heartbeat for the watchdog. The daemon's
/// only driver of rounds; `run --once` and `notify-test` call `drain()` instead. A round (`AlertDispatcher.pump()`) only claims rows and hands
/// them to the sinks' lanes; it never waits for a delivery, so a slow webhook
/// neither delays the other sinks nor starves the watchdog.
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

    /// Until cancelled; then stops the dispatcher's lanes: in-flight deliveries
    /// finish or stay in the outbox, rows not yet started stay there too.
    public func run(tick: Duration = .seconds(1)) async {
        let ticker = Task { [continuation] in
            while !Task.isCancelled {
                do { try await Task.sleep(for: tick) } catch { return }
                continuation.yield()
            }
        }
        await round()
        for await _ in wakeups {
            if Task.isCancelled { break }
            await round()
        }
        ticker.cancel()
        await dispatcher.shutdown()
    }

    private func round() async {
        await dispatcher.pump()
        lastRound.withLock { $0 = .now }
    }
}

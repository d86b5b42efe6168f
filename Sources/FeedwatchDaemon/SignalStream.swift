import Dispatch
import Foundation

/// SIGHUP, SIGUSR1, SIGTERM and SIGINT as an async sequence.
///
/// Create it first thing in `main`: the dispositions are set to SIG_IGN
/// before the sources exist, so a signal that arrives early is never the
/// default "terminate". Handlers only yield; the work happens in the task
/// that iterates.
public enum SignalStream {
    public static let daemonSignals: [Int32] = [SIGHUP, SIGUSR1, SIGTERM, SIGINT]

    public static func make(_ signals: [Int32] = daemonSignals) -> AsyncStream<Int32> {
        AsyncStream(bufferingPolicy: .unbounded) { continuation in
            let queue = DispatchQueue(label: "feedwatch.signals")
            let box = Sources(signals.map { sig in
                signal(sig, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
                source.setEventHandler { continuation.yield(sig) }
                source.resume()
                return source
            })
            continuation.onTermination = { _ in box.cancel() }
        }
    }

    /// Dispatch sources are thread-safe but not `Sendable`.
    private final class Sources: @unchecked Sendable {
        let sources: [any DispatchSourceSignal]
        init(_ s: [any DispatchSourceSignal]) { sources = s }
        func cancel() { sources.forEach { $0.cancel() } }
    }

    /// A name for logs.
    public static func name(_ sig: Int32) -> String {
        switch sig {
        case SIGHUP: return "SIGHUP"
        case SIGUSR1: return "SIGUSR1"
        case SIGTERM: return "SIGTERM"
        case SIGINT: return "SIGINT"
        default: return "signal \(sig)"
        }
    }
}

import FeedwatchAlert
import FeedwatchModel
import Foundation
import Synchronization

/// A sink that records deliveries and fails on demand.
final class MemorySink: AlertSink {
    let name: String
    private let state = Mutex<(delivered: [(id: String, payload: Data)], failures: [AlertError])>(([], []))

    init(name: String) { self.name = name }

    /// The next deliveries fail with these errors, in order.
    func failNext(_ errors: [AlertError]) { state.withLock { $0.failures += errors } }
    var deliveredIDs: [String] { state.withLock { $0.delivered.map(\.id) } }
    var payloads: [Data] { state.withLock { $0.delivered.map(\.payload) } }

    func deliver(_ alert: Alert, payload: Data) async throws(AlertError) {
        let failure: AlertError? = state.withLock { s in
            if s.failures.isEmpty {
                s.delivered.append((alert.id, payload))
                return nil
            }
            return s.failures.removeFirst()
        }
        if let failure { throw failure }
    }
}

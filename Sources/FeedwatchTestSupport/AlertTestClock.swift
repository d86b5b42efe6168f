import Foundation
import Synchronization

/// A controllable wall clock for dispatcher tests.
public final class AlertTestClock: Sendable {
    private let t: Mutex<Date>
    public init(_ start: Date = Date(timeIntervalSince1970: 1_790_000_000)) { t = Mutex(start) }
    public var now: Date { t.withLock { $0 } }
    public func advance(_ seconds: TimeInterval) { t.withLock { $0 = $0.addingTimeInterval(seconds) } }
    public var closure: @Sendable () -> Date { { self.now } }
}

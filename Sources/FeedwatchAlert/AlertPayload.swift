import FeedwatchModel
import Foundation

/// The wire form of an alert: compact JSON on one line, the same bytes for the
/// alert log and the webhook body (so a signature covers exactly what is logged).
/// Keys are sorted, so every line of the log reads in the same order (`tail -f`,
/// grep, diff); the field names themselves are the contract and do not change.
public enum AlertPayload {
    public static func encode(_ alert: Alert) throws(AlertError) -> Data {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do { return try enc.encode(alert) } catch {
            throw AlertError(kind: .permanent, sink: "-", message: "cannot encode alert \(alert.id): \(error)")
        }
    }

    public static func decode(_ data: Data) throws(AlertError) -> Alert {
        do { return try JSONDecoder().decode(Alert.self, from: data) } catch {
            throw AlertError(kind: .permanent, sink: "-", message: "stored payload is not an alert: \(error)")
        }
    }
}

import FeedwatchModel
import Foundation

/// Deliveries given up on, one JSON object per line, keys in a fixed order:
/// `{"alert_id":…,"at":…,"attempts":…,"error":…,"sink":…,"alert":{…the payload…}}`.
/// The operator can replay them after fixing the receiver.
public struct DeadLetterLog: Sendable {
    private let writer: JSONLinesWriter

    public init(path: String) throws(AlertError) {
        writer = try JSONLinesWriter(path: path)
    }

    public var path: String { writer.path }

    private struct Header: Encodable {
        var at: String
        var sink: String
        var alert_id: String
        var attempts: Int
        var error: String
    }

    /// Appends one record. `payload` is embedded as JSON when it is an object, else as a string.
    public func append(sink: String, alertID: String, attempts: Int, error: String, payload: Data, at: Date)
        throws(AlertError) {
        let header = Header(at: RFC3339.format(at), sink: sink, alert_id: alertID, attempts: attempts, error: error)
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var line: Data
        do {
            line = try enc.encode(header)
            line.removeLast()  // the closing brace: the alert follows
            line.append(contentsOf: Array(#","alert":"#.utf8))
            if payload.first == UInt8(ascii: "{"), !payload.contains(UInt8(ascii: "\n")),
               (try? JSONSerialization.jsonObject(with: payload)) != nil {
                line.append(payload)
            } else {
                line.append(try enc.encode(String(decoding: payload, as: UTF8.self)))
            }
            line.append(UInt8(ascii: "}"))
        } catch {
            throw AlertError(kind: .permanent, sink: sink, message: "dead letter for \(alertID): \(error)")
        }
        try writer.append(line)
    }

    /// Reopens the file after log rotation.
    public func reopen() throws(AlertError) { try writer.reopen() }
}

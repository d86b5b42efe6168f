import Foundation

/// A Standard Webhooks signing secret: written `whsec_<base64>`, the key is the
/// base64-decoded part. Its descriptions never show the key, so it cannot leak
/// into logs by interpolation.
public struct WebhookSecret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable {
    public let key: [UInt8]

    public init(key: [UInt8]) {
        self.key = key
    }

    /// Parses `whsec_<base64>` (the prefix is optional, as in the reference libraries).
    /// Surrounding whitespace (a trailing newline in a secret file) is ignored.
    public init(parsing text: String) throws(AlertError) {
        var s = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if s.hasPrefix("whsec_") { s.removeFirst(6) }
        guard let d = Data(base64Encoded: s), !d.isEmpty else {
            throw AlertError(kind: .config, sink: "secret", message: "webhook secret is not whsec_<base64>")
        }
        key = Array(d)
    }

    /// The secret from, in order of preference: a file, an environment variable,
    /// the literal config value. Nil when none is configured (unsigned webhook).
    public static func load(value: String?, file: String?, environmentVariable: String?,
                            environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(AlertError) -> WebhookSecret? {
        if let file {
            guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8)
            else { throw AlertError(kind: .config, sink: "secret", message: "\(file): cannot read webhook secret file") }
            return try WebhookSecret(parsing: text)
        }
        if let environmentVariable {
            guard let text = environment[environmentVariable], !text.isEmpty else {
                throw AlertError(kind: .config, sink: "secret",
                                 message: "environment variable \(environmentVariable) (webhook secret) is not set")
            }
            return try WebhookSecret(parsing: text)
        }
        return try value.map { (v: String) throws(AlertError) in try WebhookSecret(parsing: v) }
    }

    /// A new random secret in `whsec_` form (for `feedwatch` to suggest one).
    public static func generate(bytes: Int = 32) -> String {
        var g = SystemRandomNumberGenerator()
        let key = (0..<bytes).map { _ in UInt8.random(in: 0...255, using: &g) }
        return "whsec_" + Data(key).base64EncodedString()
    }

    public var description: String { "whsec_<redacted>" }
    public var debugDescription: String { "WebhookSecret(<redacted>)" }
    /// No children: `dump()` and reflection-based printing must not reveal the key either.
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}

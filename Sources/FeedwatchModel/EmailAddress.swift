import Foundation

/// One mailbox: `alerts@example.org` or `Alerts <alerts@example.org>`. Only plain ASCII addresses
/// (no SMTPUTF8); a display name may be any text (the e-mail sink encodes it per RFC 2047).
/// A model value so the config can validate addresses and the alert stage can send to them.
public struct EmailAddress: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var name: String?
    /// The addr-spec, as used in the envelope.
    public var address: String

    public init(name: String? = nil, address: String) {
        self.name = name
        self.address = address
    }

    /// Parses `addr` or `Name <addr>`; nil with the reason when it is not a usable address.
    public static func parse(_ text: String) -> (address: EmailAddress?, problem: String?) {
        let s = text.trimmingCharacters(in: .whitespaces)
        var name: String?
        var addr = s
        if s.hasSuffix(">"), let open = s.lastIndex(of: "<") {
            addr = String(s[s.index(after: open)..<s.index(before: s.endIndex)])
            var n = s[..<open].trimmingCharacters(in: .whitespaces)
            if n.count >= 2, n.hasPrefix("\""), n.hasSuffix("\"") { n = String(n.dropFirst().dropLast()) }
            name = n.isEmpty ? nil : n
        }
        if let name, name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return (nil, "'\(text)' has a control character in its name")
        }
        let parts = addr.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, parts[1].contains(".") || parts[1] == "localhost",
              addr.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && !"<>()[]\\,;:\"".unicodeScalars.contains($0) })
        else {
            return (nil, "'\(text)' is not an e-mail address (user@example.org or Name <user@example.org>, ASCII)")
        }
        return (EmailAddress(name: name, address: addr), nil)
    }

    /// The domain part, for Message-IDs.
    public var domain: String { String(address[address.index(after: address.lastIndex(of: "@")!)...]) }

    /// `address` or `name <address>`, for messages (the e-mail sink renders the header form).
    public var description: String { name.map { "\($0) <\(address)>" } ?? address }
}

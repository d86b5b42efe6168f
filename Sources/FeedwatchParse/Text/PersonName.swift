/// Reduces RSS's e-mail-style author strings to the person's name:
/// `jo@example.org (Jo Doe)`, `Jo Doe (jo@example.org)` and `Jo Doe <jo@example.org>` are all `Jo Doe`.
enum PersonName {
    static func clean(_ raw: String) -> String {
        let s = raw.trimmedWhitespace
        if s.hasSuffix(")"), let open = s.lastIndex(of: "(") {
            let inner = String(s[s.index(after: open)..<s.index(before: s.endIndex)]).trimmedWhitespace
            let outer = String(s[..<open]).trimmedWhitespace
            if isEmail(outer), !inner.isEmpty { return inner }
            if isEmail(inner), !outer.isEmpty { return outer }
        }
        if s.hasSuffix(">"), let open = s.lastIndex(of: "<") {
            let inner = String(s[s.index(after: open)..<s.index(before: s.endIndex)])
            let outer = String(s[..<open]).trimmedWhitespace
            if isEmail(inner), !outer.isEmpty { return outer.trimmingQuotes }
        }
        return s
    }

    static func isEmail(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty && !s.contains(" ")
    }
}

extension String {
    fileprivate var trimmingQuotes: String {
        if count >= 2, first == "\"", last == "\"" { return String(dropFirst().dropLast()) }
        return self
    }
}

import Foundation

extension ResponseHeaders {
    /// Folds one raw header line (`Name: value`) into the fields that matter.
    /// `receivedAt` anchors a delta-seconds Retry-After.
    mutating func absorb(line: Substring, receivedAt: Date) {
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        switch name {
        case "etag":
            etag = value
        case "last-modified":
            lastModified = value
        case "cache-control":
            if let age = Self.maxAge(in: value) { maxAge = age }
        case "expires":
            // An invalid Expires (often "0" or "-1") means "already expired".
            expires = HTTPDate.parse(value) ?? Date(timeIntervalSince1970: 0)
        case "retry-after":
            if let seconds = Int(value), seconds >= 0 {
                retryAfter = receivedAt.addingTimeInterval(TimeInterval(seconds))
            } else if let date = HTTPDate.parse(value) {
                retryAfter = date
            }
        case "content-type":
            contentType = value
            charset = Self.charset(in: value)
        default:
            break
        }
    }

    /// `max-age=N` from a Cache-Control value; `s-maxage` is for shared caches and ignored.
    static func maxAge(in value: String) -> Int? {
        for directive in value.split(separator: ",") {
            let parts = directive.split(separator: "=", maxSplits: 1)
            guard parts.count == 2,
                  parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "max-age" else { continue }
            let number = parts[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            if let n = Int(number), n >= 0 { return n }
        }
        return nil
    }

    /// The lower-cased `charset` parameter of a Content-Type value, unquoted.
    static func charset(in value: String) -> String? {
        for parameter in value.split(separator: ";").dropFirst() {
            let parts = parameter.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "charset" else {
                continue
            }
            let charset = parts[1].trimmingCharacters(in: .whitespaces)
                .trimmingCharacters(in: CharacterSet(charactersIn: "\"'")).lowercased()
            return charset.isEmpty ? nil : charset
        }
        return nil
    }
}

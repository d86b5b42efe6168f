import Foundation

extension ResponseHeaders {
    /// The header fields feedwatch keeps; every other header is skipped unread.
    enum Field: CaseIterable {
        case etag, lastModified, cacheControl, expires, retryAfter, contentType

        var lowercasedName: [UInt8] {
            switch self {
            case .etag: Array("etag".utf8)
            case .lastModified: Array("last-modified".utf8)
            case .cacheControl: Array("cache-control".utf8)
            case .expires: Array("expires".utf8)
            case .retryAfter: Array("retry-after".utf8)
            case .contentType: Array("content-type".utf8)
            }
        }

        private static let names = allCases.map { ($0, $0.lowercasedName) }

        /// Matches a raw header name case-insensitively, without allocating.
        static func named(_ name: UnsafeRawBufferPointer) -> Field? {
            for (field, lower) in names where lower.count == name.count {
                var equal = true
                for i in 0..<name.count where name[i] | 0x20 != lower[i] | 0x20 {
                    equal = false
                    break
                }
                if equal { return field }
            }
            return nil
        }
    }

    /// Folds one raw header line (`Name: value`, CRLF optional) into the fields that
    /// matter. Runs in libcurl's header callback for every header of every hop, so
    /// it works on bytes and builds a String only for a kept field's value.
    /// `receivedAt` anchors a delta-seconds Retry-After.
    mutating func absorb(line: UnsafeRawBufferPointer, receivedAt: @autoclosure () -> Date) {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")),
              let field = Field.named(UnsafeRawBufferPointer(rebasing: line[..<colon])) else { return }
        var start = colon + 1
        var end = line.count
        while start < end, line[start] == 0x20 || line[start] == 0x09 { start += 1 }
        while end > start, [0x20, 0x09, 0x0D, 0x0A].contains(line[end - 1]) { end -= 1 }
        let value = String(decoding: UnsafeRawBufferPointer(rebasing: line[start..<end]), as: UTF8.self)
        absorb(field, value: value, receivedAt: receivedAt())
    }

    /// Text form of `absorb(line:receivedAt:)`.
    mutating func absorb(line: Substring, receivedAt: Date) {
        Array(line.utf8).withUnsafeBytes { absorb(line: $0, receivedAt: receivedAt) }
    }

    mutating func absorb(_ field: Field, value: String, receivedAt: Date) {
        switch field {
        case .etag:
            etag = value
        case .lastModified:
            lastModified = value
        case .cacheControl:
            if let age = Self.maxAge(in: value) { maxAge = age }
        case .expires:
            // An invalid Expires (often "0" or "-1") means "already expired".
            expires = HTTPDate.parse(value) ?? Date(timeIntervalSince1970: 0)
        case .retryAfter:
            if let seconds = Int(value), seconds >= 0 {
                retryAfter = receivedAt.addingTimeInterval(TimeInterval(seconds))
            } else if let date = HTTPDate.parse(value) {
                retryAfter = date
            }
        case .contentType:
            contentType = value
            charset = Self.charset(in: value)
        }
    }

    /// `max-age=N` from a Cache-Control value; `s-maxage` is for shared caches and ignored.
    static func maxAge(in value: String) -> Int? {
        for directive in value.split(separator: ",") {
            let parts = directive.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].asciiTrimmed().lowercased() == "max-age" else { continue }
            var number = parts[1].asciiTrimmed()
            if number.count >= 2, number.first == "\"", number.last == "\"" { number = number.dropFirst().dropLast() }
            if let n = Int(number), n >= 0 { return n }
        }
        return nil
    }

    /// The lower-cased `charset` parameter of a Content-Type value, unquoted.
    static func charset(in value: String) -> String? {
        for parameter in value.split(separator: ";").dropFirst() {
            let parts = parameter.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].asciiTrimmed().lowercased() == "charset" else { continue }
            var charset = parts[1].asciiTrimmed()
            while let first = charset.first, first == "\"" || first == "'" { charset = charset.dropFirst() }
            while let last = charset.last, last == "\"" || last == "'" { charset = charset.dropLast() }
            return charset.isEmpty ? nil : charset.lowercased()
        }
        return nil
    }
}

extension Substring {
    /// Drops leading and trailing spaces and tabs (HTTP's OWS), without Foundation.
    func asciiTrimmed() -> Substring {
        var s = self
        while let first = s.first, first == " " || first == "\t" { s = s.dropFirst() }
        while let last = s.last, last == " " || last == "\t" { s = s.dropLast() }
        return s
    }
}

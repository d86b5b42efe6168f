import FeedwatchModel
import Foundation

/// An RFC 5322 message with a multipart/alternative body (text/plain, then text/html, both UTF-8
/// and quoted-printable), serialised with CRLF line endings and no line over 78 characters, so any
/// relay passes it unchanged. Header values are stripped of control characters (a feed title cannot
/// add a header) and RFC 2047-encoded when they are not plain ASCII.
public struct MIMEMessage: Sendable, Equatable {
    /// Headers in order. Subject is text, encoded here as needed; the others (addresses with
    /// names already encoded, ids, dates) are written as given, cleaned and folded.
    public var headers: [(name: String, value: String)]
    public var text: String
    public var html: String
    /// Chosen by the caller (stable per alert): "=_" cannot occur in quoted-printable output, so a
    /// boundary starting with it never collides with a body line.
    public var boundary: String

    public init(headers: [(name: String, value: String)], text: String, html: String, boundary: String) {
        self.headers = headers
        self.text = text
        self.html = html
        self.boundary = boundary
    }

    public static func == (a: MIMEMessage, b: MIMEMessage) -> Bool {
        a.headers.elementsEqual(b.headers) { $0.name == $1.name && $0.value == $1.value }
            && a.text == b.text && a.html == b.html && a.boundary == b.boundary
    }

    /// The wire bytes.
    public func encoded() -> Data {
        var out = ""
        for h in headers { out += Self.headerLine(h.name, h.value, text: h.name.lowercased() == "subject") }
        out += "MIME-Version: 1.0\r\n"
        out += "Content-Type: multipart/alternative;\r\n boundary=\"\(boundary)\"\r\n\r\n"
        out += "This is a multi-part message in MIME format.\r\n"
        for (type, body) in [("text/plain", text), ("text/html", html)] {
            out += "--\(boundary)\r\n"
            out += "Content-Type: \(type); charset=UTF-8\r\n"
            out += "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
            out += Self.quotedPrintable(body) + "\r\n"
        }
        out += "--\(boundary)--\r\n"
        return Data(out.utf8)
    }

    /// `Name: value` CRLF, control characters blanked. A `text` value that is not plain printable
    /// ASCII (or that could be read as an encoded word) becomes RFC 2047 encoded words, one a line.
    static func headerLine(_ name: String, _ value: String, text: Bool) -> String {
        let clean = String(String.UnicodeScalarView(value.unicodeScalars.map {
            $0.value < 0x20 || $0.value == 0x7F || $0 == "\u{2028}" || $0 == "\u{2029}" ? " " : $0
        }))
        if !text || clean.unicodeScalars.allSatisfy(\.isASCII) && !clean.contains("=?") {
            return fold("\(name): \(clean)") + "\r\n"
        }
        return "\(name): " + encodedWords(clean).joined(separator: "\r\n ") + "\r\n"
    }

    /// An ASCII header line folded at spaces to at most 78 characters a line where it can be.
    static func fold(_ line: String) -> String {
        guard line.count > 78 else { return line }
        var lines: [String] = []
        var current = ""
        for word in line.split(separator: " ", omittingEmptySubsequences: false) {
            if !current.isEmpty && current.count + 1 + word.count > 78 {
                lines.append(current)
                current = String(word)
            } else {
                current += current.isEmpty && lines.isEmpty ? String(word) : " " + word
            }
        }
        lines.append(current)
        return lines.joined(separator: "\r\n ")
    }

    /// `=?UTF-8?B?…?=` words split between characters (never inside a UTF-8 sequence or a
    /// grapheme), as RFC 2047 §5 requires, each short enough that "Subject: " and one word fit
    /// in 78 characters.
    public static func encodedWords(_ text: String) -> [String] {
        // 42 bytes of UTF-8 are 56 base64 characters: a word of 68.
        let maxBytes = 42
        var words: [String] = []
        var chunk: [UInt8] = []
        for ch in text {
            let bytes = Array(String(ch).utf8)
            if !chunk.isEmpty && chunk.count + bytes.count > maxBytes {
                words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=") }
        return words
    }

    /// Quoted-printable (RFC 2045 §6.7) of `text`'s UTF-8, with CRLF line breaks and soft breaks
    /// keeping lines within 76 characters. A leading "." is encoded too, so a line is never an
    /// SMTP end of data however a relay treats dots.
    public static func quotedPrintable(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        for (i, line) in lines.enumerated() {
            if i > 0 { out += [13, 10] }
            let bytes = Array(line.utf8)
            var width = 0
            for (j, b) in bytes.enumerated() {
                let last = j == bytes.count - 1
                let literal = (b >= 33 && b <= 126 && b != 61 && !(b == 46 && width == 0))
                    || ((b == 32 || b == 9) && !last)
                let piece: [UInt8] = literal ? [b] : [61, hex[Int(b >> 4)], hex[Int(b & 15)]]
                // Room for the piece and, unless the line ends here, a soft break "=".
                if width + piece.count > (last ? 76 : 75) {
                    out += [61, 13, 10]
                    width = 0
                    if b == 46 {   // a "." now leads a line
                        out += [61, 50, 69]
                        width = 3
                        continue
                    }
                }
                out += piece
                width += piece.count
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// An RFC 5322 date: `Sun, 06 Dec 2026 23:40:00 +0000`.
    public static func date(_ d: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return f.string(from: d)
    }
}

extension EmailAddress {
    /// As a header value: the name quoted or encoded as needed.
    public var header: String {
        guard let name, !name.isEmpty else { return address }
        let plain = name.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 0x20 }
        if plain && !name.contains("=?") {
            let atext = name.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || " !#$%&'*+-/=?^_`{|}~".unicodeScalars.contains($0) }
            let quoted = atext ? name : "\"" + name.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "\"", with: "\\\"") + "\""
            return "\(quoted) <\(address)>"
        }
        return MIMEMessage.encodedWords(name).joined(separator: " ") + " <\(address)>"
    }
}

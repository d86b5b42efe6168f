import FeedwatchModel
import Foundation

/// Brings the dates pages state (`2019-11-19T13:03:00.000Z`, `2019-11-19T13:03:00+0100`,
/// `2019-11-19 13:03`, `2019-11-19`) to RFC 3339 when they carry a day; anything else is kept as written.
enum PublishedDate {
    static func normalize(_ raw: String) -> String {
        if let date = RFC3339.parse(raw) { return RFC3339.format(date) }
        var s = raw
        // "+0100" → "+01:00", the form RFC3339.parse reads.
        if s.count >= 24, let sign = s.dropFirst(19).lastIndex(where: { $0 == "+" || $0 == "-" }) {
            let zone = s[s.index(after: sign)...]
            if zone.count == 4, zone.allSatisfy(\.isNumber) {
                s.insert(":", at: s.index(sign, offsetBy: 3))
                if let date = RFC3339.parse(s) { return RFC3339.format(date) }
            }
        }
        if let date = Self.written(raw) { return RFC3339.format(date) }
        let u = Array(raw.utf8)
        func digits(_ r: Range<Int>) -> Bool { r.upperBound <= u.count && r.allSatisfy { u[$0] >= 48 && u[$0] <= 57 } }
        guard u.count >= 10, digits(0..<4), u[4] == 45, digits(5..<7), u[7] == 45, digits(8..<10) else { return raw }
        // A date and a local time without a zone, or a bare date: read as UTC.
        var time = "00:00:00"
        if u.count >= 16, u[10] == 84 || u[10] == 32, digits(11..<13), u[13] == 58, digits(14..<16) {
            time = String(decoding: u[11..<16], as: UTF8.self) + ":" + (u.count >= 19 && u[16] == 58 && digits(17..<19)
                ? String(decoding: u[17..<19], as: UTF8.self) : "00")
        }
        let candidate = String(decoding: u[0..<10], as: UTF8.self) + "T" + time + "Z"
        if let date = RFC3339.parse(candidate) { return RFC3339.format(date) }
        return raw
    }

    /// RFC 822 and the English forms pages print ("Mon, 18 Nov 2019 16:07:38 -0600",
    /// "20 Nov 2019 08:02 GMT"); only forms that carry a zone, so the instant is not guessed.
    private static func written(_ raw: String) -> Date? {
        for formatter in formatters {
            if let date = formatter.date(from: raw) { return date }
        }
        return nil
    }

    private static let formatters: [DateFormatter] = [
        "EEE, d MMM yyyy HH:mm:ss Z", "EEE, d MMM yyyy HH:mm:ss zzz", "EEE, d MMM yyyy HH:mm Z", "d MMM yyyy HH:mm:ss zzz",
        "d MMM yyyy HH:mm zzz", "d MMM yyyy HH:mm Z",
    ].map { format in
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = format
        return f
    }
}

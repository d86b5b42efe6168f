import Foundation

/// HTTP-date (RFC 9110 §5.6.7): the preferred IMF-fixdate (RFC 1123) form plus the
/// obsolete RFC 850 and asctime forms a recipient must accept. All are UTC.
public enum HTTPDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun",
                                 "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Parses `Sun, 06 Nov 1994 08:49:37 GMT`, `Sunday, 06-Nov-94 08:49:37 GMT` or
    /// `Sun Nov  6 08:49:37 1994`. The weekday is not checked (servers get it wrong);
    /// a zone other than GMT/UTC/Z/+0000 is rejected, as HTTP dates are always UTC.
    public static func parse(_ text: String) -> Date? {
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "-" || $0 == "\t" })
        var month: Int?
        var time: (Int, Int, Int)?
        var numbers: [Substring] = []
        for token in tokens {
            if token.contains(":") {
                guard time == nil else { return nil }
                let parts = token.split(separator: ":", omittingEmptySubsequences: false)
                guard parts.count == 3, let h = Int(parts[0]), let m = Int(parts[1]), let s = Int(parts[2]),
                      (0...23).contains(h), (0...59).contains(m), (0...60).contains(s) else { return nil }
                time = (h, m, min(s, 59))
            } else if token.allSatisfy(\.isNumber) {
                numbers.append(token)
            } else if let index = months.firstIndex(of: token.prefix(3).lowercased()), token.count <= 9, month == nil,
                      time == nil {
                month = index + 1
            } else if ["gmt", "utc", "z", "ut", "+0000"].contains(token.lowercased()) {
                continue
            } else if month == nil, numbers.isEmpty, time == nil {
                continue                                   // leading weekday name
            } else {
                return nil
            }
        }
        guard let month, let (h, m, s) = time, numbers.count == 2,
              let day = Int(numbers[0]), (1...31).contains(day), var year = Int(numbers[1]) else { return nil }
        if numbers[1].count == 2 { year += year < 70 ? 2000 : 1900 } else if numbers[1].count != 4 { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + h * 3_600 + m * 60 + s))
    }

    /// Formats `date` as an IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`.
    public static func format(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = seconds - days * 86_400
        let (y, mo, d) = civilFromDays(days)
        let weekday = weekdays[((days % 7) + 11) % 7]      // 1970-01-01 was a Thursday
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(weekday), \(two(d)) \(monthNames[mo - 1]) \(y) \(two(rest / 3600)):\(two(rest / 60 % 60)):\(two(rest % 60)) GMT"
    }

    // Howard Hinnant's days_from_civil / civil_from_days: exact proleptic Gregorian
    // arithmetic without Calendar's allocation and locale cost.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

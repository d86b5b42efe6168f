import Foundation

/// Feed dates to UTC: RFC 822/1123 with the variants publishers actually emit
/// (named and numeric zones, no seconds, no weekday, two-digit years, French month
/// and day names) and ISO 8601 / RFC 3339 (W3C-DTF, date-only, no zone = UTC).
public enum DateParser {
    /// The longest date text read: the wordiest real one ("Mercredi 25 novembre 2026 à 10h19min55s
    /// Central European Summer Time") is under 100 bytes; anything longer is not a date.
    static let maxLength = 256

    /// nil when the text is not a date we can read.
    public static func parse(_ raw: String) -> Date? {
        guard raw.utf8.count <= maxLength * 4 else { return nil }
        let s = raw.trimmedWhitespace
        guard !s.isEmpty, s.utf8.count <= maxLength else { return nil }
        if let first = s.utf8.first, first >= 0x30, first <= 0x39, let d = iso8601(s) { return d }
        return canonicalRFC1123(s) ?? rfc822(s) ?? iso8601(s)
    }

    // MARK: RFC 822 and its wild relatives

    /// The form nearly every feed uses, `Wed, 25 Nov 2026 10:19:55 GMT` (or `+0100`),
    /// read at fixed positions without allocating; anything else returns nil.
    static func canonicalRFC1123(_ s: String) -> Date? {
        var s = s
        return s.withUTF8 { u -> Date? in
            guard u.count >= 29, u[3] == 0x2C, u[4] == 0x20, u[7] == 0x20, u[11] == 0x20, u[16] == 0x20,
                  u[19] == 0x3A, u[22] == 0x3A, u[25] == 0x20 else { return nil }
            func num(_ i: Int, _ n: Int) -> Int? {
                var v = 0
                for k in i..<(i + n) {
                    let d = Int(u[k]) - 0x30
                    guard d >= 0 && d <= 9 else { return nil }
                    v = v * 10 + d
                }
                return v
            }
            let m = (UInt32(u[8] | 0x20) << 16) | (UInt32(u[9] | 0x20) << 8) | UInt32(u[10] | 0x20)
            guard let month = monthCodes[m], let day = num(5, 2), let year = num(12, 4), let h = num(17, 2),
                  let mi = num(20, 2), let sec = num(23, 2) else { return nil }
            let zone = u.count - 26
            var offset = 0
            if zone == 3, u[26] | 0x20 == 0x67, u[27] | 0x20 == 0x6D, u[28] | 0x20 == 0x74 {   // GMT
                offset = 0
            } else if zone == 5, u[26] == 0x2B || u[26] == 0x2D, let z = num(27, 4) {
                offset = (z / 100 * 3600 + z % 100 * 60) * (u[26] == 0x2D ? -1 : 1)
            } else {
                return nil
            }
            return make(year: year, month: month, day: day, hour: h, minute: mi, second: sec, offset: offset)
        }
    }

    private static let monthCodes: [UInt32: Int] = {
        var m: [UInt32: Int] = [:]
        for (i, name) in ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].enumerated() {
            let b = Array(name.utf8)
            m[(UInt32(b[0]) << 16) | (UInt32(b[1]) << 8) | UInt32(b[2])] = i + 1
        }
        return m
    }()

    static func rfc822(_ s: String) -> Date? {
        var year: Int?, month: Int?, day: Int?
        var hour = 0, minute = 0, second = 0
        var offset: Int?
        var sawTime = false
        for raw in tokens(s) {
            var t = raw
            if t.last == UInt8(ascii: ".") { t.removeLast() }
            guard let f = t.first else { continue }
            if f >= 0x30 && f <= 0x39 {
                let text = Substring(String(decoding: t, as: UTF8.self))
                if t.contains(UInt8(ascii: ":")) {
                    guard !sawTime, let parts = timeParts(text) else { return nil }
                    (hour, minute, second) = parts
                    sawTime = true
                    if let tail = timeTail(text), let z = zoneOffset(tail) { offset = z }
                } else if t.contains(UInt8(ascii: "-")) || t.contains(UInt8(ascii: "/")) {
                    // "16-Jun-2025" or "16/06/2025"
                    let bits = text.split(whereSeparator: { $0 == "-" || $0 == "/" })
                    guard bits.count == 3, let d = Int(bits[0]) else { return nil }
                    day = d
                    month = Int(bits[1]) ?? monthNumber(Array(bits[1].utf8))
                    year = Int(bits[2]).map(expandYear)
                } else if let parts = hourMinute(t) {
                    // French "10h30", "10h", "10h30m15s"
                    guard !sawTime else { return nil }
                    (hour, minute, second) = parts
                    sawTime = true
                } else if let n = ordinalDay(t) {
                    // French "1er", English "1st", "22nd", "3rd", "16th": always the day.
                    guard day == nil else { return nil }
                    day = n
                } else if let n = Int(text) {
                    if day == nil && n >= 1 && n <= 31 && t.count <= 2 && (year == nil || month != nil) {
                        day = n
                    } else if year == nil {
                        year = t.count <= 2 ? expandYear(n) : n
                    } else {
                        return nil
                    }
                } else {
                    return nil
                }
            } else if f == UInt8(ascii: "+") || f == UInt8(ascii: "-") {
                guard let z = numericZone(Substring(String(decoding: t.dropFirst(), as: UTF8.self))) else { return nil }
                offset = f == UInt8(ascii: "-") ? -z : z
            } else if let m = monthNumber(t) {
                month = m
            } else if let z = zoneOffset(String(decoding: t, as: UTF8.self)) {
                offset = z
            } else if isDayName(t) {
                continue
            } else if t == Array("am".utf8) || t == Array("pm".utf8) {
                if t[0] == UInt8(ascii: "p") && hour < 12 { hour += 12 }
                if t[0] == UInt8(ascii: "a") && hour == 12 { hour = 0 }
            } else {
                return nil
            }
        }
        guard let y = year, let m = month, let d = day else { return nil }
        return make(year: y, month: m, day: d, hour: hour, minute: minute, second: second, offset: offset ?? 0)
    }

    /// "10h30", "9h", "10h30m", "10h30min15s", "10h30mn": French clock times.
    private static func hourMinute(_ t: [UInt8]) -> (Int, Int, Int)? {
        var i = 0
        func number(maxDigits: Int) -> Int? {
            var v = 0, n = 0
            while i < t.count, n < maxDigits, t[i] >= 0x30, t[i] <= 0x39 { v = v * 10 + Int(t[i] - 0x30); i += 1; n += 1 }
            return n == 0 ? nil : v
        }
        func skip(_ word: String) -> Bool {
            let w = Array(word.utf8)
            guard t.count - i >= w.count, Array(t[i..<(i + w.count)]) == w else { return false }
            i += w.count
            return true
        }
        guard let h = number(maxDigits: 2), skip("h") else { return nil }
        var m = 0, sec = 0
        if let mm = number(maxDigits: 2) {
            m = mm
            if skip("min") || skip("mn") || skip("m") {
                if let ss = number(maxDigits: 2) {
                    sec = ss
                    _ = skip("s")
                }
            }
        }
        return i == t.count ? (h, m, sec) : nil
    }

    /// "1er" (French), "1st", "2nd", "3rd", "4th"…: a day of the month.
    private static func ordinalDay(_ t: [UInt8]) -> Int? {
        let digits = t.prefix { $0 >= 0x30 && $0 <= 0x39 }
        guard (1...2).contains(digits.count) else { return nil }
        let suffix = String(decoding: t[digits.count...], as: UTF8.self)
        guard ["er", "st", "nd", "rd", "th"].contains(suffix),
              let n = Int(String(decoding: digits, as: UTF8.self)), (1...31).contains(n) else { return nil }
        return n
    }

    /// Lower-cased (ASCII) tokens split on spaces and commas.
    private static func tokens(_ s: String) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var cur: [UInt8] = []
        for var b in s.utf8 {
            if b == 0x20 || b == 0x2C || b == 0x09 || b == 0x0A || b == 0x0D {
                if !cur.isEmpty { out.append(cur); cur.removeAll(keepingCapacity: true) }
                continue
            }
            if b >= 0x41 && b <= 0x5A { b += 0x20 }
            cur.append(b)
        }
        if !cur.isEmpty { out.append(cur) }
        return out
    }

    private static func timeParts(_ t: Substring) -> (Int, Int, Int)? {
        let core = t.prefix { $0.isNumber || $0 == ":" || $0 == "." }
        let bits = core.split(separator: ":", omittingEmptySubsequences: false)
        guard bits.count >= 2, bits.count <= 3, let h = Int(bits[0]), let m = Int(bits[1]) else { return nil }
        var sec = 0
        if bits.count == 3 {
            guard let whole = Int(bits[2].prefix { $0 != "." }) else { return nil }
            sec = whole
        }
        return (h, m, sec)
    }

    /// A zone glued to the time, as in "10:00:00GMT" or "10:00+01:00".
    private static func timeTail(_ t: Substring) -> String? {
        let tail = t.drop { $0.isNumber || $0 == ":" || $0 == "." }
        return tail.isEmpty ? nil : String(tail)
    }

    private static func numericZone(_ t: Substring) -> Int? {
        let digits = t.filter { $0 != ":" }
        guard !digits.isEmpty, digits.allSatisfy(\.isNumber), let v = Int(digits) else { return nil }
        switch digits.count {
        case 1, 2: return v * 3600
        case 3, 4: return (v / 100) * 3600 + (v % 100) * 60
        default: return nil
        }
    }

    static func zoneOffset(_ zone: String) -> Int? {
        // "GMT+1", "UTC-05:00": the offset after one UTC name (a loop, not a recursion, so
        // "ut" repeated 100,000 times costs one pass and no stack).
        var z = Substring(zone)
        for p in ["gmt", "utc", "ut"] where z.hasPrefix(p) && z.count > p.count {
            z = z.dropFirst(p.count)
            break
        }
        if let first = z.first, first == "+" || first == "-" {
            guard let v = numericZone(z.dropFirst()) else { return nil }
            return first == "-" ? -v : v
        }
        let hours: Double
        switch z {
        case "gmt", "ut", "utc", "z", "wet", "etc/gmt", "etc/utc": hours = 0
        case "est": hours = -5
        case "edt": hours = -4
        case "cst": hours = -6
        case "cdt": hours = -5
        case "mst": hours = -7
        case "mdt": hours = -6
        case "pst": hours = -8
        case "pdt": hours = -7
        case "akst": hours = -9
        case "akdt": hours = -8
        case "hst": hours = -10
        case "ast": hours = -4
        case "adt": hours = -3
        case "nst": hours = -3.5
        case "ndt": hours = -2.5
        case "bst", "cet", "met", "wat", "west", "mez": hours = 1
        case "cest", "mest", "eet", "sast", "cat", "mesz": hours = 2
        case "eest", "msk", "eat": hours = 3
        case "ist": hours = 5.5
        case "jst", "kst": hours = 9
        case "aest": hours = 10
        case "aedt": hours = 11
        case "nzst": hours = 12
        case "nzdt": hours = 13
        default: return nil
        }
        return Int(hours * 3600)
    }

    /// English and French month names and abbreviations (accented or not).
    private static let months: [String: Int] = {
        let table: [(Int, [String])] = [
            (1, ["jan", "january", "janv", "janvier"]),
            (2, ["feb", "february", "fev", "fevr", "fevrier", "fév", "févr", "février"]),
            (3, ["mar", "march", "mars"]),
            (4, ["apr", "april", "avr", "avril"]),
            (5, ["may", "mai"]),
            (6, ["jun", "june", "juin"]),
            (7, ["jul", "july", "juil", "juillet"]),
            (8, ["aug", "august", "aou", "aout", "aoû", "août"]),
            (9, ["sep", "sept", "september", "septembre"]),
            (10, ["oct", "october", "octobre"]),
            (11, ["nov", "november", "novembre"]),
            (12, ["dec", "december", "decembre", "déc", "décembre"]),
        ]
        var m: [String: Int] = [:]
        for (n, names) in table { for name in names { m[name] = n } }
        return m
    }()

    private static func monthNumber(_ t: [UInt8]) -> Int? {
        months[String(decoding: t, as: UTF8.self).lowercased()]
    }

    private static let dayNames: Set<String> = [
        "mon", "tue", "wed", "thu", "fri", "sat", "sun", "tues", "thur", "thurs",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "lun", "mar", "mer", "jeu", "ven", "sam", "dim",
        "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "at", "à", "le",
    ]

    private static func isDayName(_ t: [UInt8]) -> Bool { dayNames.contains(String(decoding: t, as: UTF8.self)) }

    /// RFC 2822 §4.3: 00–49 are 2000–2049, 50–99 are 1950–1999.
    private static func expandYear(_ y: Int) -> Int {
        if y < 50 { return 2000 + y }
        if y < 100 { return 1900 + y }
        return y
    }

    static func make(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, offset: Int) -> Date? {
        guard (1...12).contains(month), (1...31).contains(day), (0...24).contains(hour), (0...59).contains(minute),
              (0...61).contains(second), year >= 1 && year < 10000 else { return nil }
        var t = tm()
        t.tm_year = Int32(year - 1900)
        t.tm_mon = Int32(month - 1)
        t.tm_mday = Int32(day)
        t.tm_hour = Int32(hour)
        t.tm_min = Int32(minute)
        t.tm_sec = Int32(min(second, 59))
        let epoch = timegm(&t)
        return Date(timeIntervalSince1970: Double(epoch - offset))
    }
}

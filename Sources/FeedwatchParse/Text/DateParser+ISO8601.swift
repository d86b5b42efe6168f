import Foundation

extension DateParser {
    /// ISO 8601 / RFC 3339 / W3C-DTF: `2025-06-18T09:00:00+02:00`, `2025-06-18`,
    /// `20250618T090000Z`; a missing zone means UTC.
    static func iso8601(_ s: String) -> Date? {
        let u = Array(s.utf8)
        var i = 0
        func digits(_ count: Int) -> Int? {
            guard i + count <= u.count else { return nil }
            var v = 0
            for k in i..<(i + count) {
                guard u[k] >= 0x30, u[k] <= 0x39 else { return nil }
                v = v * 10 + Int(u[k] - 0x30)
            }
            i += count
            return v
        }
        func eat(_ c: UInt8) -> Bool {
            if i < u.count, u[i] == c { i += 1; return true }
            return false
        }
        guard let year = digits(4) else { return nil }
        var month = 1, day = 1, hour = 0, minute = 0, second = 0
        var offset = 0
        let dashed = eat(0x2D)
        if i < u.count {
            guard let m = digits(2) else { return nil }
            month = m
            if dashed ? eat(0x2D) : (i < u.count && u[i] >= 0x30 && u[i] <= 0x39) {
                guard let d = digits(2) else { return nil }
                day = d
            }
        }
        if i < u.count, u[i] == 0x54 || u[i] == 0x74 || u[i] == 0x20 {   // T, t or space
            i += 1
            guard let h = digits(2) else { return nil }
            hour = h
            _ = eat(0x3A)
            if let m = digits(2) { minute = m } else { return nil }
            if eat(0x3A) || (i < u.count && u[i] >= 0x30 && u[i] <= 0x39) {
                guard let sec = digits(2) else { return nil }
                second = sec
            }
            if i < u.count, u[i] == 0x2E || u[i] == 0x2C {
                i += 1
                while i < u.count, u[i] >= 0x30, u[i] <= 0x39 { i += 1 }
            }
            while i < u.count, u[i] == 0x20 { i += 1 }
            if i < u.count {
                if u[i] == 0x5A || u[i] == 0x7A {
                    i += 1
                } else if u[i] == 0x2B || u[i] == 0x2D {
                    let sign = u[i] == 0x2D ? -1 : 1
                    i += 1
                    guard let oh = digits(2) else { return nil }
                    _ = eat(0x3A)
                    let om = digits(2) ?? 0
                    offset = sign * (oh * 3600 + om * 60)
                } else {
                    let rest = String(decoding: u[i...], as: UTF8.self)
                    guard let z = zoneOffset(rest.lowercased()) else { return nil }
                    offset = z
                    i = u.count
                }
            }
        }
        guard i == u.count else { return nil }
        return make(year: year, month: month, day: day, hour: hour, minute: minute, second: second, offset: offset)
    }
}

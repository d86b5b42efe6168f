import Foundation

/// Parses the human quantities config files and flags use.
public enum Quantity {
    /// `90`, `90s`, `5m`, `1h30m`, `2d`, `1w` → seconds; nil when malformed or negative.
    public static func duration(_ text: String) -> TimeInterval? {
        let s = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard !s.isEmpty else { return nil }
        if let plain = Double(s) { return plain >= 0 ? plain : nil }
        var total = 0.0
        var number = ""
        var sawUnit = false
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604_800]
        let chars = Array(s)
        // `ms` is the one two-letter unit.
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c.isNumber || c == "." {
                number.append(c)
            } else if c == "m", i + 1 < chars.count, chars[i + 1] == "s" {
                guard let n = Double(number) else { return nil }
                total += n / 1000
                number = ""
                sawUnit = true
                i += 1
            } else if let u = units[c] {
                guard let n = Double(number) else { return nil }
                total += n * u
                number = ""
                sawUnit = true
            } else {
                return nil
            }
            i += 1
        }
        guard number.isEmpty, sawUnit else { return nil }
        return total
    }

    /// `1048576`, `512KiB`, `10MiB`, `10MB`, `1GiB` → bytes; nil when malformed.
    public static func bytes(_ text: String) -> Int? {
        let s = text.trimmingCharacters(in: .whitespaces)
        if let n = Int(s) { return n >= 0 ? n : nil }
        let units: [(String, Double)] = [
            ("kib", 1024), ("mib", 1_048_576), ("gib", 1_073_741_824),
            ("kb", 1000), ("mb", 1_000_000), ("gb", 1_000_000_000), ("k", 1024), ("m", 1_048_576), ("g", 1_073_741_824),
            ("b", 1),
        ]
        let lower = s.lowercased()
        for (suffix, factor) in units where lower.hasSuffix(suffix) {
            let head = lower.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)
            guard let n = Double(head), n >= 0 else { return nil }
            return Int(n * factor)
        }
        return nil
    }

    /// Seconds as the shortest readable duration: `300` → `5m`, `5400` → `1h30m`.
    public static func format(duration seconds: TimeInterval) -> String {
        var s = Int(seconds.rounded())
        if s == 0 { return "0s" }
        var out = ""
        for (unit, size) in [("d", 86400), ("h", 3600), ("m", 60), ("s", 1)] where s >= size {
            out += "\(s / size)\(unit)"
            s %= size
        }
        return out
    }
}

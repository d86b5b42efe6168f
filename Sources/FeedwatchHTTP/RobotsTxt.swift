/// A site's `robots.txt` (RFC 9309), reduced to the rules for one crawler.
///
/// Groups start at a run of `user-agent` lines; the rules of every group naming the crawler's
/// product token (case-insensitive) apply, merged, else those of the `*` groups, else none. A
/// path is allowed unless its longest matching rule is a `disallow` (an `allow` wins a tie).
/// Patterns match from the path's start; `*` matches any run of characters and a final `$`
/// anchors the end. Unknown lines (`sitemap`, `crawl-delay`, comments) are ignored.
public struct RobotsTxt: Sendable, Equatable {
    public struct Rule: Sendable, Equatable {
        public var allow: Bool
        public var pattern: String
    }

    /// The rules that apply to the crawler, in file order.
    public let rules: [Rule]

    /// Bytes of a robots.txt read at most; RFC 9309 asks crawlers to parse at least 500 KiB.
    public static let maxBytes = 512 * 1024

    /// Everything allowed (no file, or a 4xx answer to it).
    public static let allowAll = RobotsTxt(rules: [])
    /// Nothing allowed (the file could not be read: 5xx, unreachable).
    public static let disallowAll = RobotsTxt(rules: [Rule(allow: false, pattern: "/")])

    public init(rules: [Rule]) { self.rules = rules }

    /// The rules of `text` for the crawler whose product token is `agent` (e.g. `feedwatch`).
    public init(_ text: String, agent: String) {
        let token = agent.lowercased()
        var mine: [Rule] = [], anyone: [Rule] = []
        var groupAgents: [String] = []
        var inRules = false        // a rule line ends a group's user-agent run
        for raw in text.utf8.prefix(Self.maxBytes).split(whereSeparator: { $0 == 0x0A || $0 == 0x0D }) {
            var line = Substring(decoding: raw, as: UTF8.self)
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingSpaces.lowercased()
            let value = String(line[line.index(after: colon)...].trimmingSpaces)
            switch key {
            case "user-agent":
                if inRules { groupAgents = []; inRules = false }
                groupAgents.append(value.lowercased())
            case "allow", "disallow":
                inRules = true
                // An empty disallow allows everything: it adds no rule.
                guard !value.isEmpty else { continue }
                let rule = Rule(allow: key == "allow", pattern: Self.normalized(value))
                if groupAgents.contains(where: { Self.names($0, token) }) { mine.append(rule) }
                if groupAgents.contains("*") { anyone.append(rule) }
            default:
                continue
            }
        }
        rules = Self.mentions(text, token) ? mine : anyone
    }

    /// Whether the crawler may fetch `path` (path and query, e.g. `/news/a?id=1`).
    public func allows(_ path: String) -> Bool {
        let target = Self.normalized(path.isEmpty ? "/" : path)
        if target == "/robots.txt" { return true }
        var best: (length: Int, allow: Bool)?
        for rule in rules where Self.matches(rule.pattern, target) {
            let length = rule.pattern.utf8.count
            if best == nil || length > best!.length || (length == best!.length && rule.allow) {
                best = (length, rule.allow)
            }
        }
        return best?.allow ?? true
    }

    /// A group's user-agent value names the crawler when it is the product token, or starts it
    /// (`feedwatch/1.0` written whole in the file).
    private static func names(_ value: String, _ token: String) -> Bool {
        value == token || value.hasPrefix(token + "/")
    }

    /// Whether some group names the crawler (then the `*` groups do not apply, even if its own
    /// group has no rules).
    private static func mentions(_ text: String, _ token: String) -> Bool {
        for raw in text.utf8.prefix(Self.maxBytes).split(whereSeparator: { $0 == 0x0A || $0 == 0x0D }) {
            var line = Substring(decoding: raw, as: UTF8.self)
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            guard let colon = line.firstIndex(of: ":"),
                  line[..<colon].trimmingSpaces.lowercased() == "user-agent" else { continue }
            if names(line[line.index(after: colon)...].trimmingSpaces.lowercased(), token) { return true }
        }
        return false
    }

    /// Percent-escapes upper-cased and unreserved characters unescaped on both sides, so
    /// `/caf%c3%a9` and `/café` compare alike; `*` and `$` are kept as they are.
    static func normalized(_ s: String) -> String {
        var out: [UInt8] = []
        let bytes = Array(s.utf8)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x25, i + 2 < bytes.count, let hi = hex(bytes[i + 1]), let lo = hex(bytes[i + 2]) {
                let v = hi << 4 | lo
                if isUnreserved(v) { out.append(v) } else { out += Array("%".utf8) + hexDigits(v) }
                i += 3
            } else if b >= 0x80 || b == 0x20 {
                out += Array("%".utf8) + hexDigits(b)
                i += 1
            } else {
                out.append(b)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Matches `pattern` (with `*` and a final `$`) against the start of `path`.
    static func matches(_ pattern: String, _ path: String) -> Bool {
        var p = Array(pattern.utf8)
        let anchored = p.last == 0x24
        if anchored { p.removeLast() }
        let s = Array(path.utf8)
        // Greedy-with-backtracking glob, as for `fnmatch` with only `*`: linear in practice.
        var i = 0, j = 0
        var star = -1, mark = 0
        while i < s.count {
            if j < p.count, p[j] == 0x2A {
                star = j
                mark = i
                j += 1
            } else if j < p.count, p[j] == s[i] {
                i += 1
                j += 1
            } else if j == p.count, !anchored {
                return true          // the pattern matched a prefix of the path
            } else if star >= 0 {
                j = star + 1
                mark += 1
                i = mark
            } else {
                return false
            }
        }
        while j < p.count, p[j] == 0x2A { j += 1 }
        return j == p.count
    }

    private static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: b - 0x30
        case 0x41...0x46: b - 0x41 + 10
        case 0x61...0x66: b - 0x61 + 10
        default: nil
        }
    }

    private static func hexDigits(_ v: UInt8) -> [UInt8] {
        let digits = Array("0123456789ABCDEF".utf8)
        return [digits[Int(v >> 4)], digits[Int(v & 15)]]
    }

    private static func isUnreserved(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)
            || b == 0x2D || b == 0x2E || b == 0x5F || b == 0x7E
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return s
    }
}

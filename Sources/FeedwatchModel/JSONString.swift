/// JSON string literals as feedwatch's hand-written JSON outputs spell them (`parse`, `classify`,
/// `extract`, the templates' `json` helper). Those outputs are a contract compared byte for byte,
/// so the few ways they differ are options rather than separate escapers.
///
/// Always escaped: `"`, `\`, `\n`, `\r`, `\t` by their short forms, other controls as `\u00xx`
/// (lower-case hex); everything else is written as it is (UTF-8, `/` unescaped).
public enum JSONString {
    public struct Style: OptionSet, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        /// `\b` and `\f` instead of `\u0008` and `\u000c`, as `JSONSerialization` writes them.
        public static let shortControls = Style(rawValue: 1)
        /// U+2028 and U+2029 escaped, so the output is also valid JavaScript.
        public static let lineSeparators = Style(rawValue: 2)
    }

    /// Appends `s` as a quoted JSON string.
    public static func append(_ s: String, to out: inout [UInt8], style: Style = []) {
        out.append(0x22)
        appendEscaped(s, to: &out, style: style)
        out.append(0x22)
    }

    /// `s` as a quoted JSON string.
    public static func quoted(_ s: String, style: Style = []) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 2)
        append(s, to: &out, style: style)
        return String(decoding: out, as: UTF8.self)
    }

    /// The inside of the quoted string (for text spliced into a JSON template).
    public static func escaped(_ s: String, style: Style = []) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        appendEscaped(s, to: &out, style: style)
        return String(decoding: out, as: UTF8.self)
    }

    /// Copies runs that need no escape whole, testing eight bytes at a time: feed content is
    /// mostly plain text, and `parse` writes a lot of it.
    public static func appendEscaped(_ s: String, to out: inout [UInt8], style: Style = []) {
        var s = s
        let separators = style.contains(.lineSeparators)
        s.withUTF8 { u in
            guard let base = u.baseAddress else { return }
            var start = 0, i = 0
            let n = u.count
            while i < n {
                while i + 8 <= n {
                    let x = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                    if needsEscape(x) || (separators && hasByte(x, 0xE2)) { break }
                    i += 8
                }
                guard i < n else { break }
                let c = u[i]
                if separators, c == 0xE2, i + 2 < n, u[i + 1] == 0x80, u[i + 2] == 0xA8 || u[i + 2] == 0xA9 {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: u[start..<i]))
                    out += u[i + 2] == 0xA8 ? Array("\\u2028".utf8) : Array("\\u2029".utf8)
                    i += 3
                    start = i
                    continue
                }
                guard c < 0x20 || c == 0x22 || c == 0x5C else { i += 1; continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: u[start..<i]))
                i += 1
                start = i
                switch c {
                case 0x22: out += [0x5C, 0x22]
                case 0x5C: out += [0x5C, 0x5C]
                case 0x0A: out += [0x5C, 0x6E]
                case 0x0D: out += [0x5C, 0x72]
                case 0x09: out += [0x5C, 0x74]
                case 0x08 where style.contains(.shortControls): out += [0x5C, 0x62]
                case 0x0C where style.contains(.shortControls): out += [0x5C, 0x66]
                default: out += [0x5C, 0x75, 0x30, 0x30, hex(c >> 4), hex(c & 0xF)]
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: u[start..<n]))
        }
    }

    /// Whether any byte of `x` is below 0x20, `"` or `\` (SWAR).
    @inline(__always)
    public static func needsEscape(_ x: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
        let below20 = (x &- ones &* 0x20) & ~x & high != 0
        return below20 || hasByte(x, 0x22) || hasByte(x, 0x5C)
    }

    @inline(__always)
    static func hasByte(_ x: UInt64, _ b: UInt8) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
        let v = x ^ (ones &* UInt64(b))
        return (v &- ones) & ~v & high != 0
    }

    @inline(__always)
    static func hex(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x61 + v - 10 }
}

/// An RFC 8259 validator for templated payloads. Foundation's parser on Linux accepts trailing
/// commas and raw control characters in strings, which stricter receivers refuse: a template with
/// `"a": 1, {{#link}}…{{/link}}` would pass here and fail there on every alert without a link.
enum StrictJSON {
    struct Problem: Error, Equatable {
        /// Byte offset into the payload.
        var offset: Int
        var message: String
    }

    static func validate(_ text: String) throws(Problem) {
        var p = Parser(bytes: Array(text.utf8))
        p.skipSpace()
        try p.value(depth: 0)
        p.skipSpace()
        if p.i < p.bytes.count { throw Problem(offset: p.i, message: "unexpected text after the value") }
    }

    private struct Parser {
        let bytes: [UInt8]
        var i = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        var current: UInt8? { i < bytes.count ? bytes[i] : nil }

        mutating func skipSpace() {
            while let c = current, c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { i += 1 }
        }

        func fail(_ message: String) -> Problem { Problem(offset: i, message: message) }

        mutating func expect(_ c: UInt8, _ what: String) throws(Problem) {
            guard current == c else { throw fail("expected \(what)") }
            i += 1
        }

        mutating func value(depth: Int) throws(Problem) {
            guard depth < 512 else { throw fail("nested too deeply") }
            switch current {
            case UInt8(ascii: "{"):
                i += 1
                skipSpace()
                if current == UInt8(ascii: "}") { i += 1; return }
                while true {
                    skipSpace()
                    guard current == UInt8(ascii: "\"") else { throw fail("expected a member name in quotes") }
                    try string()
                    skipSpace()
                    try expect(UInt8(ascii: ":"), "':' after a member name")
                    skipSpace()
                    try value(depth: depth + 1)
                    skipSpace()
                    if current == UInt8(ascii: ",") { i += 1; continue }
                    try expect(UInt8(ascii: "}"), "',' or '}'")
                    return
                }
            case UInt8(ascii: "["):
                i += 1
                skipSpace()
                if current == UInt8(ascii: "]") { i += 1; return }
                while true {
                    skipSpace()
                    try value(depth: depth + 1)
                    skipSpace()
                    if current == UInt8(ascii: ",") { i += 1; continue }
                    try expect(UInt8(ascii: "]"), "',' or ']'")
                    return
                }
            case UInt8(ascii: "\""): try string()
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            case let c? where c == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c): try number()
            case nil: throw fail("expected a value, found the end")
            default: throw fail("expected a value")
            }
        }

        mutating func literal(_ word: String) throws(Problem) {
            for b in word.utf8 {
                guard current == b else { throw fail("expected \(word)") }
                i += 1
            }
        }

        mutating func string() throws(Problem) {
            i += 1
            while let c = current {
                switch c {
                case UInt8(ascii: "\""): i += 1; return
                case UInt8(ascii: "\\"):
                    i += 1
                    guard let e = current else { throw fail("unfinished escape") }
                    if e == UInt8(ascii: "u") {
                        i += 1
                        for _ in 0..<4 {
                            guard let h = current, (h >= 0x30 && h <= 0x39) || (h | 0x20 >= 0x61 && h | 0x20 <= 0x66) else {
                                throw fail("\\u needs four hex digits")
                            }
                            i += 1
                        }
                    } else {
                        guard "\"\\/bfnrt".utf8.contains(e) else { throw fail("unknown escape") }
                        i += 1
                    }
                case 0..<0x20: throw fail("control character in a string (escape it)")
                default: i += 1
                }
            }
            throw fail("string not closed")
        }

        mutating func number() throws(Problem) {
            func digits() -> Int {
                let start = i
                while let c = current, c >= 0x30 && c <= 0x39 { i += 1 }
                return i - start
            }
            if current == UInt8(ascii: "-") { i += 1 }
            if current == UInt8(ascii: "0") { i += 1 } else if digits() == 0 { throw fail("expected digits") }
            if current == UInt8(ascii: ".") {
                i += 1
                guard digits() > 0 else { throw fail("expected digits after '.'") }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                i += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { i += 1 }
                guard digits() > 0 else { throw fail("expected exponent digits") }
            }
        }
    }
}

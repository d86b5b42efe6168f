import Foundation
import Testing
@testable import FeedwatchParse

/// Charset labels that cannot be true, and legacy multi-byte charsets with a bad byte.
@Suite struct EncodingTests {
    private static func rss(_ prolog: String, title: [UInt8]) -> Data {
        Data(Array("\(prolog)<rss version=\"2.0\"><channel><title>".utf8) + title
             + Array("</title><item><guid>g1</guid><title>x</title></item></channel></rss>".utf8))
    }

    /// (prolog encoding label, HTTP charset)
    static let wideLabels: [(String?, String?)] = [
        ("UTF-16", nil), ("utf-16le", nil), ("UTF-16BE", nil), ("utf16", nil), ("UCS-2", nil),
        ("UTF-32", nil), ("utf-32le", nil), ("UCS-4", nil),
        (nil, "utf-16"), (nil, "UTF-32BE"),
        ("UTF-16", "utf-16le"),
    ]

    @Test("a UTF-16/UTF-32 label over ASCII-compatible bytes is ignored", arguments: wideLabels)
    func wideLabelOverASCIIBytes(_ prolog: String?, _ http: String?) throws {
        let decl = prolog.map { "<?xml version=\"1.0\" encoding=\"\($0)\"?>\n" } ?? ""
        for (title, expected) in [(Array("Sahel".utf8), "Sahel"), (Array("Ségou – Mopti".utf8), "Ségou – Mopti")] {
            let doc = Self.rss(decl, title: title)
            for data in [doc, doc + Data(" ".utf8)] {              // odd and even lengths
                let parsed = try FeedParser.parse(data, charset: http)
                #expect(parsed.feed.title == expected, "\(prolog ?? "-") / \(http ?? "-")")
                #expect(parsed.feed.entries.map(\.id) == ["g1"])
                #expect(parsed.damage == nil)
            }
        }
    }

    @Test("a wide label with an ASCII-compatible fallback label in the prolog: the prolog's wins")
    func wideHTTPCharsetFallsBackToProlog() throws {
        let data = Self.rss("<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>", title: [0x53, 0xE9, 0x67, 0x6F, 0x75])
        #expect(try FeedParser.parse(data, charset: "utf-16").feed.title == "Ségou")
    }

    /// Found by `scripts/fuzz charset`: bytes shaped like UTF-16 without a BOM that are also
    /// valid UTF-8 sent the fallback back into the same sniffing, without end (stack overflow).
    @Test("UTF-16-shaped bytes that fail as UTF-16 fall back once, to UTF-8")
    func utf16ShapedFallbackDoesNotRecurse() {
        for charset in ["utf-8", nil, "utf-16"] {
            let out = Data([0x00, 0x3C, 0x00, 0xDE, 0xA0]).withUnsafeBytes { Transcoder.toUTF8($0, httpCharset: charset) }
            #expect(out.charset == "utf-8")
            #expect(throws: (any Error).self) { try FeedParser.parse(Data([0x00, 0x3C, 0x00, 0xDE, 0xA0]), charset: charset) }
        }
    }

    @Test("real UTF-16 without a BOM is still read as UTF-16")
    func realBOMlessUTF16() throws {
        let text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><rss><channel><title>Ségou</title></channel></rss>"
        for data in [text.data(using: .utf16LittleEndian)!, text.data(using: .utf16BigEndian)!] {
            #expect(try FeedParser.parse(data).feed.title == "Ségou")
        }
    }

    /// (label, title bytes with one invalid byte, expected title)
    static let legacy: [(String, [UInt8], String)] = [
        ("gb2312", [0xD6, 0xD0, 0xCE, 0xC4, 0xFF, 0xD0, 0xC2, 0xCE, 0xC5], "中文\u{FFFD}新闻"),
        ("GB2312", [0xD6, 0xD0, 0x80, 0xCE, 0xC4], "中\u{FFFD}文"),
        ("shift_jis", [0x83, 0x6A, 0x83, 0x85, 0xFF, 0x81, 0x5B, 0x83, 0x58, 0x93, 0xFA, 0x96, 0x7B], "ニュ\u{FFFD}ース日本"),
        ("Shift_JIS", [0x83, 0x6A, 0xFD, 0x83, 0x85], "ニ\u{FFFD}ュ"),
        ("euc-kr", [0xC7, 0xD1, 0xFF, 0xB1, 0xB9], "한\u{FFFD}국"),
    ]

    @Test("one bad byte in a legacy multi-byte charset becomes U+FFFD; the rest is kept", arguments: legacy)
    func badByteInLegacyCharset(_ label: String, _ title: [UInt8], _ expected: String) throws {
        let data = Self.rss("<?xml version=\"1.0\" encoding=\"\(label)\"?>", title: title)
        let parsed = try FeedParser.parse(data)
        #expect(parsed.feed.title == expected)
        #expect(parsed.feed.entries.map(\.id) == ["g1"])
        #expect(parsed.damage?.contains("invalid bytes in \(label.lowercased()) replaced") == true,
                "damage: \(parsed.damage ?? "nil")")
        // The same label from HTTP.
        let viaHTTP = try FeedParser.parse(Self.rss("", title: title), charset: label)
        #expect(viaHTTP.feed.title == expected)
    }

    @Test("a clean legacy document is not flagged")
    func cleanLegacyCharset() throws {
        let parsed = try FeedParser.parse(Self.rss("<?xml version=\"1.0\" encoding=\"gb2312\"?>",
                                                   title: [0xD6, 0xD0, 0xCE, 0xC4]))
        #expect(parsed.feed.title == "中文")
        #expect(parsed.damage == nil)
    }

    @Test("UTF-8 mislabelled as a legacy charset is still read as UTF-8")
    func utf8MislabelledAsLegacy() throws {
        let parsed = try FeedParser.parse(Self.rss("<?xml version=\"1.0\" encoding=\"gb2312\"?>",
                                                   title: Array("Ségou – Mopti".utf8)))
        #expect(parsed.feed.title == "Ségou – Mopti")
    }

    @Test("a multi-byte sequence cut by the end of the document is replaced, not fatal")
    func cutSequenceAtEnd() {
        let bytes: [UInt8] = [0xD6, 0xD0, 0xCE]
        let result = bytes.withUnsafeBytes { Transcoder.iconvToUTF8($0, from: "gb2312") }
        guard case .replaced(let utf8) = result else { Issue.record("got \(result)"); return }
        #expect(String(decoding: utf8, as: UTF8.self) == "中\u{FFFD}")
    }

    /// The eight-bytes-at-once control test marks exactly the bytes the byte test does, whatever
    /// their neighbours (a borrow or carry across bytes would show here).
    @Test func controlsAreFoundEightBytesAtOnceExactly() {
        let fillers: [UInt8] = [0x00, 0x01, 0x09, 0x0A, 0x0D, 0x1F, 0x20, 0x61, 0x7F, 0x80, 0xC2, 0xFF]
        for filler in fillers {
            for position in 0..<8 {
                for v in 0...255 {
                    var bytes = [UInt8](repeating: filler, count: 8)
                    bytes[position] = UInt8(v)
                    var expected: UInt64 = 0
                    for (k, c) in bytes.enumerated() where UTF8Check.isControl(c) { expected |= 0x80 << UInt64(8 * k) }
                    let x = UInt64(littleEndian: bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
                    #expect(UTF8Check.controls(x) == expected, "\(bytes)")
                }
            }
        }
        // And through the whole scan: a form feed anywhere in texts of every length up to 20.
        for length in 1...20 {
            for at in 0..<length {
                var text = [UInt8](repeating: 0x0A, count: length)
                #expect(!text.withUnsafeBytes(UTF8Check.hasControls))
                text[at] = 0x0C
                #expect(text.withUnsafeBytes(UTF8Check.hasControls), "\(length) \(at)")
            }
        }
    }
}

import Foundation
import Testing
@testable import FeedwatchParse

/// "Not a feed" messages: one printable line, whatever the bytes.
@Suite struct FormatDetectorTests {
    static let previews: [([UInt8], String)] = [
        (Array("<html lang=\"fr\">".utf8), "<html"),
        (Array("  \n<!DOCTYPE html>".utf8), "<!DOCTYPE"),
        (Array("<p>Ségou</p>".utf8), "<p"),
        (Array("Ségou-Mopti".utf8), "Ségou-Mopti"),
        ([0x7F] + Array("ELF\u{02}\u{01}".utf8), "\\x7FELF\\x02\\x01"),
        ([0x00, 0x01, 0x41, 0x1B, 0x5B], "\\x00\\x01A\\x1B["),
        (Array("say\"hi\\".utf8), "say\\\"hi\\\\"),
        ([0xC2, 0x85, 0xE2, 0x80, 0xAE, 0x41], "\\u{85}\\u{202E}A"),      // NEL and a bidi override
        ([0xFF, 0xFE, 0xC3, 0x41], "\\xFF\\xFE\\xC3A"),                    // not UTF-8
        ([0xEF, 0xBF, 0xBD, 0x41], "\\u{FFFD}A"),
        (Array(repeating: 0x01, count: 40), String(repeating: "\\x01", count: 12)),
    ]

    @Test(arguments: previews)
    func previewIsPrintable(_ bytes: [UInt8], _ expected: String) {
        let preview = bytes.withUnsafeBytes { FormatDetector.preview($0) }
        #expect(preview == expected)
        #expect(preview.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F })
    }

    /// Binary inputs through the whole parser: the message never carries a control character.
    static let binaries: [[UInt8]] = [
        [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00],        // ELF
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00],        // PNG
        [0x25, 0x50, 0x44, 0x46, 0x2D, 0x31, 0x2E, 0x37, 0x0A, 0x25, 0xE2, 0xE3],   // PDF
        [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x08, 0x00],                    // zip
    ]

    @Test(arguments: binaries)
    func binaryIsNotAFeedWithAPrintableMessage(_ bytes: [UInt8]) {
        do {
            _ = try FeedParser.parse(Data(bytes))
            Issue.record("parsed binary input")
        } catch let e as ParseError {
            #expect(e.code == .notAFeed || e.code == .empty)
            #expect(!e.description.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) },
                    "\(e.description.debugDescription)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("gzip bytes are called gzip-compressed", arguments: [
        [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xB3, 0x29, 0x2A, 0xCE, 0xB6, 0x03, 0x00],
        [0x1F, 0x8B],
    ] as [[UInt8]])
    func gzip(_ bytes: [UInt8]) {
        #expect(throws: ParseError(code: .notAFeed, reason: "not RSS, Atom, RDF or JSON Feed (gzip-compressed data)")) {
            try FeedParser.parse(Data(bytes))
        }
    }
}

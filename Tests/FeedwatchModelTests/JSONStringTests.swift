import FeedwatchModel
import Foundation
import Testing

@Suite("JSON string literals")
struct JSONStringTests {
    @Test func shortFormsAndControlsAsTheOutputsSpellThem() {
        #expect(JSONString.quoted("a\"b\\c/d\n\r\t") == #""a\"b\\c/d\n\r\t""#)
        #expect(JSONString.quoted("\u{08}\u{0C}\u{01}\u{1F}") == #""\u0008\u000c\u0001\u001f""#)
        #expect(JSONString.quoted("\u{08}\u{0C}\u{01}", style: .shortControls) == #""\b\f\u0001""#)
        #expect(JSONString.quoted("a\u{2028}b\u{2029}c") == "\"a\u{2028}b\u{2029}c\"")
        #expect(JSONString.quoted("a\u{2028}b\u{2029}c—…", style: .lineSeparators) == #""a\u2028b\u2029c—…""#)
        #expect(JSONString.escaped("say \"hi\"") == #"say \"hi\""#)
        #expect(JSONString.quoted("") == "\"\"")
    }

    /// Long plain runs, escapes at every offset of the eight-byte blocks, multi-byte text: what
    /// comes out parses back to exactly what went in, in every style.
    @Test func everyOutputParsesBackToItsInput() throws {
        var g = SystemRandomNumberGenerator()
        let pieces = ["a", "plain text ", "é", "—", "\u{2028}", "\u{2029}", "\"", "\\", "/", "\n", "\u{08}", "\u{0C}",
                      "\u{00}", "\u{1F}", "\u{7F}", "日本", "🙂", "\u{E2}"]
        for _ in 0..<500 {
            let s = (0..<Int.random(in: 0...40, using: &g)).map { _ in pieces.randomElement(using: &g)! }.joined()
            for style in [JSONString.Style(), .shortControls, .lineSeparators, [.shortControls, .lineSeparators]] {
                let json = JSONString.quoted(s, style: style)
                let back = try JSONSerialization.jsonObject(with: Data(json.utf8), options: .fragmentsAllowed) as? String
                #expect(back == s, "\(json)")
                #expect(!json.utf8.contains { $0 < 0x20 }, "\(json)")
            }
        }
    }
}

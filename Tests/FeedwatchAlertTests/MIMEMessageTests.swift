import FeedwatchAlert
import FeedwatchTestSupport
import Foundation
import Testing

/// The e-mail sink's MIME encodings, read back by an independent decoder (ParsedMail).
@Suite struct MIMEMessageTests {
    @Test func quotedPrintableAndEncodedWordsRoundTrip() throws {
        let text = "Ligne très longue " + String(repeating: "é", count: 100) + " =fin.\n.début\n\ttab \nfin "
        let qp = MIMEMessage.quotedPrintable(text)
        #expect(qp.components(separatedBy: "\r\n").allSatisfy { $0.count <= 76 })
        #expect(!qp.components(separatedBy: "\r\n").contains { $0.hasPrefix(".") || $0.hasSuffix(" ") || $0.hasSuffix("\t") })
        let back = try ParsedMail.quotedPrintable(qp)
        #expect(String(data: back, encoding: .utf8) == text.replacingOccurrences(of: "\n", with: "\r\n"))
        let subject = "Attaque près de Ménaka 🇲🇱 " + String(repeating: "ü", count: 60)
        let words = MIMEMessage.encodedWords(subject)
        #expect(words.count > 1 && words.allSatisfy { $0.count <= 69 })
        #expect(try ParsedMail.decodeWords(words.joined(separator: "\r\n ").replacingOccurrences(of: "\r\n ", with: " ")) == subject)
    }
}

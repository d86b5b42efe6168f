import Foundation
import FeedwatchModel
import Testing
@testable import FeedwatchParse

@Suite struct FeedJSONTests {
    static let tricky = Feed(
        title: "Quotes \" back\\slash / slash\ttab\nnewline \u{01} ctrl é 𝄞", link: "https://x.example/a?b=1&c=2",
        language: nil,
        entries: [
            Entry(id: "1", title: nil, link: nil, published: Date(timeIntervalSince1970: 1_750_000_000),
                  updated: Date(timeIntervalSince1970: -86_400.5), authors: ["A \"B\""], categories: [],
                  summary: "<p>x</p>", content: nil),
            Entry(id: "2", title: "", categories: ["c1", "c2"], content: String(repeating: "long ", count: 1000)),
        ])

    /// The hand-written writer must produce the document `JSONEncoder` produces from `Feed`.
    @Test func matchesJSONEncoder() throws {
        let mine = try JSONSerialization.jsonObject(with: Data(FeedJSON.encode(Self.tricky))) as? NSDictionary
        let reference = try JSONSerialization.jsonObject(with: JSONEncoder().encode(Self.tricky)) as? NSDictionary
        #expect(mine != nil)
        #expect(mine == reference)
    }

    @Test func roundTripsThroughEntryDecoding() throws {
        let data = Data(FeedJSON.encode(Self.tricky))
        struct Doc: Decodable { var title: String?; var entries: [Entry] }
        let doc = try JSONDecoder().decode(Doc.self, from: data)
        #expect(doc.title == Self.tricky.title)
        #expect(doc.entries.map(\.id) == ["1", "2"])
        #expect(doc.entries[0].published == Date(timeIntervalSince1970: 1_750_000_000))
        #expect(doc.entries[1].content == Self.tricky.entries[1].content)
    }

    @Test func isOneLineWithKeysInContractOrder() {
        let s = String(decoding: FeedJSON.encode(Self.tricky), as: UTF8.self)
        #expect(!s.contains("\n"))
        #expect(s.hasPrefix("{\"title\":"))
        let keys = ["\"id\":", "\"title\":", "\"link\":", "\"published\":", "\"updated\":", "\"authors\":",
                    "\"categories\":", "\"summary\":", "\"content\":"]
        let positions = keys.compactMap { s.range(of: $0, range: s.range(of: "\"entries\":")!.upperBound..<s.endIndex)?.lowerBound }
        #expect(positions.count == keys.count)
        #expect(positions == positions.sorted())
    }
}

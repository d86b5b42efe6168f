import Foundation
import Testing
@testable import FeedwatchParse

/// The daemon parses many feeds at once: parsing must be free of shared state.
@Suite struct ConcurrencyTests {
    @Test func concurrentParsesAgreeWithSerialOnes() async throws {
        let names = ["rss20-basic.xml", "atom10-xhtml-base.atom", "rdf-dublin-core.rdf", "sanitize-active-content.xml",
                     "damage-html-entities.xml", "encoding-windows-1252.xml", "jsonfeed11-authors.json"]
        let inputs = try names.map { try Data(contentsOf: FixtureTests.url($0)) }
        let serial = try inputs.map { try FeedParser.parse($0) }
        let results = try await withThrowingTaskGroup(of: (Int, ParsedFeed).self) { group in
            for _ in 0..<20 {
                for (i, data) in inputs.enumerated() {
                    group.addTask { (i, try FeedParser.parse(data)) }
                }
            }
            var out: [(Int, ParsedFeed)] = []
            for try await r in group { out.append(r) }
            return out
        }
        #expect(results.count == 20 * inputs.count)
        for (i, parsed) in results { #expect(parsed == serial[i]) }
    }
}

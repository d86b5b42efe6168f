import FeedwatchClassify
import FeedwatchModel
import FeedwatchText
import Foundation
import Testing

/// Watchlists a careless author (or a hostile edit) could write, and stories built to make
/// classification slow: each is refused with a located error, or handled in bounded time.
@Suite struct ClassifierHostileInputTests {
    typealias F = ClassifierFixture
    /// Release builds stay well under 2 s; debug builds are several times slower.
    static let budget: Double = 10

    static func timed<T>(_ body: () throws -> T) rethrows -> T {
        let start = Date()
        let result = try body()
        #expect(Date().timeIntervalSince(start) < budget)
        return result
    }

    @Test func hundredThousandNestedParenthesesAreRefused() {
        let deep = String(repeating: "(", count: 100_000) + "Mali" + String(repeating: ")", count: 100_000)
        // YAML keys are at most 1,024 characters, so the long rule is a `require`.
        let lines = Self.timed { F.diagnostics(F.topic("      Mali: 1\n", extra: "    require: \"\(deep)\"\n")) }
        #expect(lines == ["w.yaml:5:47: term nests deeper than 32 (parentheses, NEAR/n or EXCEPT)"])
    }

    @Test func longNearAndExceptChainsAreRefused() {
        for op in ["NEAR/1", "EXCEPT"] {
            let chain = (0..<50_000).map { "w\($0)" }.joined(separator: " \(op) ")
            let lines = Self.timed { F.diagnostics(F.topic("      Mali: 1\n", extra: "    require: \"\(chain)\"\n")) }
            #expect(lines.count == 1 && lines[0].contains("term nests deeper than 32"), "\(op)")
        }
        // Within the bound, still accepted.
        let ok = (0..<10).map { "w\($0)" }.joined(separator: " NEAR/3 ")
        #expect(F.diagnostics(F.topic("      \"\(ok)\": 1\n")) == [])
    }

    @Test func yamlAliasesAreRefused() {
        var yaml = "sets:\n  l0: &l0 [Mali, Niger]\n"
        for i in 1...9 { yaml += "  l\(i): &l\(i) [" + Array(repeating: "*l\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        yaml += "topics:\n  t:\n    threshold: 1\n    terms:\n      Mali: 1\n"
        let lines = Self.timed { F.diagnostics(yaml) }
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("w.yaml:3:12: YAML aliases (*name) are not allowed") == true)
    }

    @Test func deepYAMLIsRefused() {
        let deep = String(repeating: "[", count: 100_000) + "Mali" + String(repeating: "]", count: 100_000)
        let flow = Self.timed { F.diagnostics("topics:\n  t:\n    require: \(deep)\n") }
        #expect(flow.count == 1 && flow[0].hasPrefix("w.yaml:3:") && flow[0].lowercased().contains("nest"))
        let block = String(repeating: "- ", count: 100_000) + "Mali"
        let lines = Self.timed { F.diagnostics("topics:\n  t:\n    require:\n      \(block)\n") }
        #expect(lines == ["w.yaml:4:129: YAML nests deeper than 64 levels"])
    }

    @Test func doublingSetsAreCapped() {
        var sets = "  s_0: [Mali, Niger]\n"
        for k in 1...30 { sets += "  s_\(k): [\"@s_\(k - 1)\", \"@s_\(k - 1)\"]\n" }
        let lines = Self.timed { F.diagnostics(F.topic("      \"@s_30\": 1\n", sets: sets)) }
        #expect(!lines.isEmpty)
        #expect(lines.first == "w.yaml:15:3: set '@s_13' stands for more than 10000 terms once its sets are expanded")
    }

    @Test func deepSetChainsAreRefused() {
        // Each set before the one it refers to, so resolving the first walks the whole chain.
        var sets = ""
        for k in stride(from: 5_000, to: 0, by: -1) { sets += "  s_\(k): [\"@s_\(k - 1)\"]\n" }
        sets += "  s_0: [Mali]\n"
        let lines = Self.timed { F.diagnostics(F.topic("      \"@s_5000\": 1\n", sets: sets)) }
        #expect(!lines.isEmpty && lines.allSatisfy { $0.contains("sets nest deeper than 16") })
    }

    @Test func theShippedWatchlistReportsItsCompiledSize() throws {
        let watchlist = try Watchlist.load(path: F.shippedWatchlistPath)
        #expect(watchlist.compiledSize > 100)
        #expect(watchlist.compiledSize < 100_000)
    }

    @Test func aRepeatedStoryClassifiesInLinearTime() throws {
        let classifier = Classifier(watchlist: try Watchlist.load(path: F.shippedWatchlistPath))
        func seconds(_ repeats: Int) -> (Double, [String]) {
            let body = String(repeating: "Mali attack ", count: repeats)
            let story = Story(id: "s", title: "Mali attack", summary: body, content: body)
            let start = Date()
            let topics = classifier.classify(story).map(\.topic)
            return (Date().timeIntervalSince(start), topics)
        }
        let (small, smallTopics) = seconds(4_000)
        let (big, bigTopics) = seconds(40_000)      // 480 KB of text
        #expect(big < Self.budget)
        #expect(bigTopics == smallTopics)
        // Linear: ten times the text, not a hundred times the time (with slack for noise).
        #expect(big < max(small, 0.01) * 30)
    }

    @Test func plainTextOfDeepHTMLKeepsEveryWord() {
        for tag in ["div", "b", "li"] {
            let html = String(repeating: "<\(tag)>", count: 100_000) + "deep" + String(repeating: "</\(tag)>", count: 100_000)
                + "<p>after</p>"
            let text = Self.timed { HTMLText.plainText(html) }
            #expect(text.contains("deep") && text.hasSuffix("after"), "\(tag)")
        }
    }
}

@testable import FeedwatchClassify
import FeedwatchModel
import Testing

/// `RequireScreen`, the first look `classify` takes at a story: it may let through a story that
/// then fails, but never turns away one whose `require` holds.
@Suite struct ClassifierScreenTests {
    typealias F = ClassifierFixture

    func screen(_ require: String, terms: String = "      attack*: 1\n") throws -> RequireScreen? {
        let yaml = F.topic(terms, extra: "    require:\n" + require)
        return try #require(CompiledWatchlist(Watchlist.parse(yaml: yaml, file: "t.yaml")) as CompiledWatchlist?).screen
    }

    func mayHold(_ screen: RequireScreen, _ text: String) -> Bool {
        var folded: [UInt8] = []
        TermFolding.folder.fold(text, into: &folded)
        return screen.mayHold(title: [], body: folded)
    }

    @Test func aPhraseNeedsEachOfItsWords() throws {
        let screen = try #require(try screen("      any: [\"Lake Chad\"]\n"))
        #expect(mayHold(screen, "Boats on the lake near Chad"))      // both words: may hold
        #expect(!mayHold(screen, "Boats on the lake"))
        #expect(!mayHold(screen, "N'Djamena, Chad"))
    }

    @Test func nearNeedsBothSidesAndExceptItsLeftSide() throws {
        let near = try #require(try screen("      any: [\"Kaya NEAR/5 Burkina\"]\n"))
        #expect(mayHold(near, "Burkina Faso: Kaya"))
        #expect(!mayHold(near, "Kaya, a town"))
        let except = try #require(try screen("      any: [\"Gao EXCEPT (Gao NEAR/2 China)\"]\n"))
        #expect(mayHold(except, "Gao, China"))                        // the exception is the full matcher's call
        #expect(!mayHold(except, "China"))
    }

    /// A one-byte word is found although the two-byte table cannot hold it.
    @Test func oneByteWordsAndPrefixesAreFound() throws {
        let screen = try #require(try screen("      any: [x, \"mal*\"]\n"))
        #expect(mayHold(screen, "Formerly known as X"))
        #expect(mayHold(screen, "The Malian army"))
        #expect(mayHold(screen, "Mal"))
        #expect(!mayHold(screen, "Ma and Pa Kettle"))
        #expect(!mayHold(screen, "Exit, exactly"))
    }

    @Test func allOfNeedsEachRuleAndAnyOfOne() throws {
        let all = try #require(try screen("      - any: [Mali]\n      - any: [attack*]\n"))
        #expect(mayHold(all, "Attack in Mali"))
        #expect(!mayHold(all, "Mali votes"))
        let any = try #require(try screen("      any:\n        - all: [Mali, attack*]\n        - Niger\n"))
        #expect(mayHold(any, "Niamey, Niger"))
        #expect(mayHold(any, "Attack in Mali"))
        #expect(!mayHold(any, "Mali votes, Nigeria too"))
    }

    /// A `none_of` holds on a story that names nothing, so it screens nothing.
    @Test func aRuleThatMayHoldAnywhereTurnsTheScreenOff() throws {
        #expect(try screen("      none: [football]\n") == nil)
        #expect(try screen("      any: [Mali, {none: [football]}]\n") == nil)
        #expect(try screen("      - any: [Mali]\n      - none: [football]\n") != nil)
    }
}

@testable import FeedwatchClassify
import FeedwatchModel
import Testing

/// `RequireScreen`, the first look `classify` takes at a story: it may let through a story that
/// then fails, but never turns away one whose `require` holds.
@Suite struct ClassifierScreenTests {
    typealias F = ClassifierFixture

    func screen(_ require: String, terms: String = "      attack*: 1\n") throws -> RequireScreen? {
        let yaml = F.topic(terms, extra: "    require:\n" + require)
        return CompiledWatchlist(try Watchlist.parse(yaml: yaml, file: "t.yaml")).screen
    }

    func mayHold(_ screen: RequireScreen, _ text: String) -> Bool {
        var folded: [UInt8] = []
        TermFolding.folder.fold(text, into: &folded)
        return screen.mayHold(title: [], body: folded)
    }

    /// A phrase needs each of its words; the screen leaves out the short ones ("of"), which are
    /// in nearly every story.
    @Test func aPhraseNeedsItsLongWords() throws {
        let screen = try #require(try screen("      any: [\"Alliance of Sahel States\", \"Lake Chad\"]\n"))
        #expect(mayHold(screen, "The Alliance of Sahel States"))
        #expect(mayHold(screen, "Sahel states form an alliance"))   // the full matcher's call
        #expect(mayHold(screen, "A lake in Chad"))
        #expect(!mayHold(screen, "States of the Sahel"))
        #expect(!mayHold(screen, "A lake"))
    }

    @Test func nearNeedsBothSidesAndExceptItsLeftSide() throws {
        let near = try #require(try screen("      any: [\"Kaya NEAR/5 Burkina\"]\n"))
        #expect(mayHold(near, "Burkina Faso: Kaya"))
        #expect(!mayHold(near, "Kaya, a town"))
        let except = try #require(try screen("      any: [\"Gao EXCEPT (Gao NEAR/2 China)\"]\n"))
        #expect(mayHold(except, "Gao, China"))                        // the exception is the full matcher's call
        #expect(!mayHold(except, "China"))
    }

    /// Inside a set, NEARs are skipped together unless a word each needs occurred.
    @Test func aNearAmongAtomsIsStillTested() throws {
        let screen = try #require(try screen("      any: [Mali, \"Kaya NEAR/5 Burkina\", \"Djibo NEAR/5 (Soum OR Burkina)\"]\n"))
        #expect(mayHold(screen, "Bamako, Mali"))
        #expect(mayHold(screen, "Kaya, Burkina Faso"))
        #expect(mayHold(screen, "Soum province: Djibo"))
        #expect(!mayHold(screen, "Burkina Faso"))
        #expect(!mayHold(screen, "Kaya Scodelario"))
        #expect(!mayHold(screen, "Djibouti"))
    }

    /// A one-byte word, a three-byte prefix and a longer one are all found, though the filters
    /// before the trie key them differently.
    @Test func shortWordsAndPrefixesAreFound() throws {
        let screen = try #require(try screen("      any: [x, \"kid*\", \"coup*\", \"tué*\"]\n"))
        #expect(mayHold(screen, "Formerly known as X"))
        #expect(mayHold(screen, "Kidal"))
        #expect(mayHold(screen, "kid"))
        #expect(mayHold(screen, "Coups d'Etat"))
        #expect(mayHold(screen, "Coup"))
        #expect(mayHold(screen, "Trois soldats tués"))
        #expect(!mayHold(screen, "Could a kiosk count exits?"))
        #expect(!mayHold(screen, "Ki, co, tu"))
    }

    /// Words the folder leaves non-ASCII go through the same filters: a CJK prefix, and a word
    /// that starts with a combining mark folding keeps (it once lost that mark on its way in).
    @Test func nonASCIIWordsAndPrefixesAreFound() throws {
        let screen = try #require(try screen("      any: [\"北京市*\", \"\u{0941}ab\"]\n"))
        #expect(mayHold(screen, "北京市长 visits"))
        #expect(mayHold(screen, "x \u{0941}ab y"))
        #expect(!mayHold(screen, "北京 visits ab"))
        let classifier = try F.classifier(F.topic("      \"\u{0941}ab\": 1\n", extra: "    require:\n      any: [\"\u{0941}ab\"]\n"))
        #expect(!classifier.classify(F.story("x \u{0941}ab y")).isEmpty)
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

    /// The second look reads the title and the lead only, for rules that must hold there: a
    /// place named deep in a long story cannot satisfy `in: [title, lead]`, and the story is
    /// turned away before the full matcher; one that names it in the lead is not.
    @Test func theLeadScreenReadsTheLeadAndWhatItsTermsReachPastIt() throws {
        let filler = Array(repeating: "words", count: 40).joined(separator: " ")
        let leadRule = "      in: [title, lead]\n      any: [Mali, \"Kaya NEAR/5 Burkina\", \"Alliance of Sahel States\"]\n"
        let classifier = try F.classifier(F.topic("      attack*: 1\n", extra: "    require:\n" + leadRule))
        #expect(classifier.compiled.leadScreen != nil)
        // lead_words is 10: "Mali" at word 3 holds, at word 41 does not.
        #expect(!classifier.classify(F.story("Attack", "one two three Mali " + filler)).isEmpty)
        #expect(classifier.classify(F.story("Attack", "one two three " + filler + " Mali")).isEmpty)
        // A NEAR starting at word 9 (in the lead) ends at word 14: it holds, so it must be read.
        let near = "a b c d e f g h i Kaya x y z w Burkina " + filler
        #expect(!classifier.classify(F.story("Attack", near)).isEmpty)
        #expect(classifier.explain(F.story("Attack", near))[0].matched)
        // A phrase starting at word 9 runs to word 12.
        let phrase = "a b c d e f g h i Alliance of Sahel States " + filler
        #expect(!classifier.classify(F.story("Attack", phrase)).isEmpty)
        // A rule that may hold in the body leaves nothing for the lead screen to decide.
        let anywhere = try F.classifier(F.topic("      attack*: 1\n", extra: "    require:\n      any: [Mali]\n"))
        #expect(anywhere.compiled.leadScreen == nil)
        #expect(!anywhere.classify(F.story("Attack", "one two three " + filler + " Mali")).isEmpty)
    }
}

import FeedwatchClassify
import Testing

/// A broken watchlist is refused with every problem at its exact file:line:column.
@Suite struct WatchlistDiagnosticsTests {
    typealias F = ClassifierFixture

    @Test func unknownSetIsReportedWhereItIsReferenced() {
        let yaml = """
        sets:
          places: [Mali]
        topics:
          t:
            threshold: 1
            terms:
              "@places NEAR/5 @violence": 2
        """
        #expect(F.diagnostics(yaml) == ["w.yaml:7:23: unknown set '@violence' (known: @places)"])
    }

    @Test func unbalancedParenthesesAndQuotes() {
        let yaml = """
        topics:
          t:
            threshold: 1
            terms:
              (Gao OR Kidal: 2
              Gao OR Kidal): 2
              '"Lake Chad': 1
        """
        #expect(F.diagnostics(yaml) == [
            "w.yaml:5:7: unbalanced '(': no matching ')'",
            "w.yaml:6:19: unbalanced ')': no matching '('",
            "w.yaml:7:8: unbalanced '\"': quoted phrase is not closed",
        ])
    }

    @Test func badWeightsAndThresholds() {
        let yaml = """
        topics:
          t:
            threshold: high
            terms:
              attack: heavy
              raid: 0
              ambush: 2
          u:
            threshold: -3
            terms:
              attack: 1
        """
        #expect(F.diagnostics(yaml) == [
            "w.yaml:3:16: bad threshold 'high': expected a number",
            "w.yaml:5:15: bad weight 'heavy': expected a number",
            "w.yaml:6:13: bad weight 0: a term must add (positive) or subtract (negative) score",
            "w.yaml:9:16: bad threshold -3.0: must be positive",
        ])
    }

    @Test func unknownKeysAtEveryLevel() {
        let yaml = """
        topic:
          t: {}
        topics:
          t:
            treshold: 1
            threshold: 1
            boost: {title: 2, heading: 3}
            require:
              - every: [Mali]
            terms:
              attack: 1
        """
        #expect(F.diagnostics(yaml) == [
            "w.yaml:1:1: unknown key 'topic' (expected 'sets', 'topics' or 'languages')",
            "w.yaml:5:5: unknown key 'treshold' in topic 't' (expected description, threshold, short, boost, require, exclude, terms)",
            "w.yaml:7:23: unknown key 'heading' in boost (expected title, lead, body, lead_words)",
            "w.yaml:9:9: unknown key 'every' in a rule (expected all, any, none, in)",
            "w.yaml:9:9: a rule needs one of 'all:', 'any:' or 'none:'",
        ])
    }

    @Test func yamlSyntaxErrorCarriesItsMark() throws {
        let yaml = "topics:\n  t:\n    threshold: 1\n    terms: [attack\n"
        let lines = F.diagnostics(yaml)
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("w.yaml:5:1: YAML syntax error:") == true)
    }

    @Test func expressionMistakes() {
        let yaml = """
        topics:
          t:
            threshold: 1
            terms:
              mali NEAR attack: 1
              mali AND attack: 1
              ji*had: 1
              ab*: 1
              Mali OR: 1
        """
        #expect(F.diagnostics(yaml) == [
            "w.yaml:5:12: 'NEAR': proximity needs a distance in words from 1 to 200, e.g. NEAR/10",
            "w.yaml:6:12: 'AND' is not an operator inside a term; combine terms with an 'all:' group",
            "w.yaml:7:9: '*' is a prefix wildcard and may only end a word, e.g. jihad*",
            "w.yaml:8:7: 'ab*': a wildcard needs at least 3 letters before '*'",
            "w.yaml:9:12: expression ends where a word, phrase or @set is expected",
        ])
    }

    @Test func setCyclesAndMissingPieces() {
        let yaml = """
        sets:
          a: ['@b']
          b: ['@a', Mali]
        topics:
          t:
            terms:
              Mali: -1
        """
        #expect(F.diagnostics(yaml) == [
            "w.yaml:3:8: set '@a' refers to itself: @a -> @b -> @a",
            "w.yaml:5:3: topic 't' needs a 'threshold:'",
            "w.yaml:7:7: topic 't' has no positive weight, so it can never match",
        ])
    }

    @Test func errorDescriptionIsOneProblemPerLine() throws {
        let yaml = "topics:\n  t:\n    threshold: x\n    terms:\n      '@nope': y\n"
        let error = try #require(throws: WatchlistError.self) { try Watchlist.parse(yaml: yaml, file: "w.yaml") }
        #expect(error.description == """
        w.yaml:3:16: bad threshold 'x': expected a number
        w.yaml:5:16: bad weight 'y': expected a number
        """)
    }

    @Test func missingFileIsADiagnosticToo() {
        #expect(throws: WatchlistError.self) { try Watchlist.load(path: "/nonexistent/watchlist.yaml") }
    }
}

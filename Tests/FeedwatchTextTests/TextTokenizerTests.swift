import Testing
@testable import FeedwatchText

@Suite("Tokenizer")
struct TextTokenizerTests {
    private func words(_ s: String) -> [String] { Tokenizer.tokens(s).map(\.text) }

    @Test("Niger is not Nigeria and Mali is not Somalia")
    func wordBoundaries() {
        let t = words("Nigeria's army, Niger's junta; Somalia and Mali.")
        #expect(t == ["nigeria", "army", "niger", "junta", "somalia", "and", "mali"])
        #expect(!words("Somalia").contains("mali"))
        #expect(!words("Nigerian troops").contains("niger"))
    }

    @Test("French elisions are dropped", arguments: [
        ("l'armée", ["armee"]), ("d'une attaque", ["une", "attaque"]), ("qu'il", ["il"]),
        ("L’État islamique", ["etat", "islamique"]), ("jusqu'à Gao", ["a", "gao"]),
        ("s'est replié", ["est", "replie"]), ("lorsqu'ils", ["ils"]), ("c'était", ["etait"]),
    ])
    func elisions(_ input: String, _ expected: [String]) {
        #expect(words(input) == expected)
    }

    @Test("Hyphens split, apostrophes join, numbers and acronyms hold together")
    func punctuation() {
        #expect(words("Liptako-Gourma") == ["liptako", "gourma"])
        #expect(words("al-Qaeda's Sahel branch") == ["al", "qaeda", "sahel", "branch"])
        #expect(words("don't") == ["dont"])
        #expect(words("U.N. peacekeepers, U.S.-led") == ["un", "peacekeepers", "us", "led"])
        #expect(words("3.5 million, 1,000 troops in 2026.") == ["3.5", "million", "1,000", "troops", "in", "2026"])
        #expect(words("Tillabéri (Niger)") == ["tillaberi", "niger"])
    }

    @Test("Positions are consecutive word indexes")
    func positions() {
        let t = Tokenizer.tokens("Attack near Mopti — 12 killed")
        #expect(t.map(\.position) == Array(0..<t.count))
        #expect(t.map(\.text) == ["attack", "near", "mopti", "12", "killed"])
    }

    @Test("Folded and unfolded input tokenize the same")
    func foldedEntryPoint() {
        let s = "Les soldats maliens ont repoussé l'assaut à Ménaka."
        #expect(Tokenizer.tokens(folded: TextNormalizer.fold(s)) == Tokenizer.tokens(s))
    }

    @Test("Other scripts form words; punctuation-only text has none")
    func otherScripts() {
        #expect(words("Москва, 東京") == ["москва", "東京"])
        #expect(words(" -- ... !! ").isEmpty)
        #expect(words("").isEmpty)
    }
}

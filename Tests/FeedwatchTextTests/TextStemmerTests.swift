import Testing
@testable import FeedwatchText

@Suite("Stemmer")
struct TextStemmerTests {
    @Test("English inflections meet", arguments: [
        ["attack", "attacks", "attacked", "attacking"], ["kidnap", "kidnapped", "kidnapping", "kidnappings"],
        ["kill", "killed", "killing", "kills"], ["ambush", "ambushes", "ambushed"],
        ["casualty", "casualties"], ["militia", "militias"], ["deploy", "deployed", "deployment", "deployments"],
        ["force", "forces", "forced"],
    ])
    func english(_ forms: [String]) {
        let stems = Set(forms.map { Stemmer.stem($0, language: "en") })
        #expect(stems.count == 1, "\(forms) → \(stems)")
    }

    @Test("French inflections meet", arguments: [
        ["attaque", "attaques", "attaque"], ["enleve", "enlevee", "enlevement", "enlevements", "enleves"],
        ["armee", "armees"], ["militaire", "militaires"], ["general", "generaux"], ["tue", "tues", "tuee"],
    ])
    func french(_ forms: [String]) {
        let stems = Set(forms.map { Stemmer.stem($0, language: "fr-FR") })
        #expect(stems.count == 1, "\(forms) → \(stems)")
    }

    @Test("Short words, numbers, and protected endings are left alone")
    func conservative() {
        #expect(Stemmer.stem("gas", language: "en") == "gas")
        #expect(Stemmer.stem("crisis", language: "en") == "crisis")
        #expect(Stemmer.stem("status", language: "en") == "status")
        #expect(Stemmer.stem("2026", language: "en") == "2026")
        #expect(Stemmer.stem("g5s", language: "en") == "g5s")
        #expect(Stemmer.stem("mali", language: "fr") == "mali")
        #expect(Stemmer.stem("niger", language: "en") == "niger")
        #expect(Stemmer.stem("nigeria", language: "en") != Stemmer.stem("niger", language: "en"))
    }

    @Test("Unknown language strips plurals only")
    func otherLanguage() {
        #expect(Stemmer.stem("soldats", language: nil) == "soldat")
        #expect(Stemmer.stem("attacked", language: "de") == "attacked")
    }
}

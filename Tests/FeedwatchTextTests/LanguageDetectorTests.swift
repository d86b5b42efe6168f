import Testing
@testable import FeedwatchText

@Suite("LanguageDetector")
struct LanguageDetectorTests {
    @Test("Detects English and French text", arguments: [
        ("Gunmen killed at least 12 soldiers in an attack on a military post in central Mali, the army said.", "en"),
        ("Des hommes armés ont tué au moins douze soldats lors d'une attaque contre un poste militaire dans le centre du Mali, selon l'armée.", "fr"),
        ("Le Niger a annoncé la fermeture de son espace aérien après le coup d'État.", "fr"),
        ("The junta in Niamey said it had closed the country's airspace until further notice.", "en"),
        ("El ejército de Malí dijo que los atacantes fueron repelidos tras varias horas de combates.", "es"),
    ])
    func detects(_ text: String, _ expected: String) {
        #expect(LanguageDetector.detect(text, hint: nil) == expected)
    }

    @Test("The hint decides short or ambiguous text but not clear contrary text")
    func hintIsAPrior() {
        #expect(LanguageDetector.detect("Mopti", hint: "fr-FR") == "fr")
        #expect(LanguageDetector.detect("Mopti", hint: nil) == nil)
        #expect(LanguageDetector.detect("Barkhane: Macron", hint: "en") == "en")
        let english = "The army said the convoy was ambushed on the road to Gao and that several soldiers were wounded."
        #expect(LanguageDetector.detect(english, hint: "fr") == "en")
        let french = "L'armée a indiqué que le convoi a été pris dans une embuscade sur la route de Gao."
        #expect(LanguageDetector.detect(french, hint: "en-US") == "fr")
    }
}

import Testing
@testable import FeedwatchText

@Suite("TextNormalizer.fold")
struct TextNormalizerTests {
    @Test("Folds case, diacritics, ligatures and typography", arguments: [
        ("Ménaka", "menaka"), ("Ségou", "segou"), ("TILLABÉRI", "tillaberi"), ("Ansongo", "ansongo"),
        ("Œuvre cœur", "oeuvre coeur"), ("Straße", "strasse"), ("naïve façade", "naive facade"),
        ("l’armée", "l'armee"), ("Liptako–Gourma", "liptako-gourma"), ("Mopti — Gao", "mopti - gao"),
        ("ﬁnal", "final"), ("ＭＡＬＩ", "mali"), ("e\u{301}te\u{301}", "ete"), ("50\u{A0}km", "50 km"),
        ("« Barkhane »", "\" barkhane \""), ("Łódź", "lodz"), ("İstanbul", "istanbul"),
    ])
    func folds(_ input: String, _ expected: String) {
        #expect(TextNormalizer.fold(input) == expected)
    }

    @Test("Is idempotent on mixed text")
    func idempotent() {
        let samples = ["Attaque à Djibo : l’armée burkinabè dit avoir « neutralisé » 12 terroristes",
                       "Ménaka – N’Djamena – Ouagadougou", "Αθήνα Москва 東京 서울", "Tombouctou, ﬁn"]
        for s in samples {
            let once = TextNormalizer.fold(s)
            #expect(TextNormalizer.fold(once) == once)
        }
    }

    @Test("Keeps non-Latin scripts and Hangul syllables whole")
    func otherScripts() {
        #expect(TextNormalizer.fold("МОСКВА") == "москва")
        #expect(TextNormalizer.fold("서울") == "서울")
        #expect(TextNormalizer.fold("القاعدة") == "القاعدة")
    }
}

import FeedwatchClassify
import FeedwatchModel
import Testing

/// Each construct of the term language, matched against small stories.
@Suite struct ClassifierLanguageTests {
    typealias F = ClassifierFixture

    /// Whether one term (weight 1, threshold 1) matches the story's title or body.
    func matches(_ term: String, _ title: String, _ body: String = "", language: String? = nil, sets: String = "") throws -> Bool {
        let quoted = term.replacingOccurrences(of: "'", with: "''")   // YAML single-quote escape
        let classifier = try F.classifier(F.topic("      '\(quoted)': 1\n", sets: sets))
        return !classifier.classify(F.story(title, body, language: language)).isEmpty
    }

    @Test func wordsMatchWholeFoldedWordsOnly() throws {
        #expect(try matches("Ménaka", "Attack near MENAKA"))
        #expect(try matches("menaka", "Attaque près de Ménaka"))
        #expect(try matches("Niger", "Troops in Niger"))
        #expect(try !matches("Niger", "Troops in Nigeria"))
        #expect(try !matches("Mali", "Troops in Somalia"))
        #expect(try !matches("attack", "Two attacks overnight"))
    }

    @Test func frenchElisionsAndApostrophesFoldLikeStoryText() throws {
        #expect(try matches("N'Djamena", "Explosion à N’Djamena"))
        #expect(try matches("armée", "Selon l'armée malienne"))
        #expect(try matches("coup d'État", "Un coup d'Etat au Niger"))
    }

    @Test func prefixWildcards() throws {
        #expect(try matches("jihad*", "Jihadistes présumés"))
        #expect(try matches("jihad*", "a jihad"))
        #expect(try !matches("jihad*", "the jiha word"))
        #expect(try matches("kidnap*", "Three kidnapped"))
    }

    @Test func phrasesNeedAdjacentWordsInOrder() throws {
        #expect(try matches("Niger Delta", "Pipeline blast in the Niger Delta"))
        #expect(try !matches("Niger Delta", "Delta of the Niger"))
        #expect(try matches("\"Lake Chad\"", "Islands of Lake Chad"))
        #expect(try matches("roadside bomb*", "Two roadside bombs exploded"))
    }

    @Test func nearMatchesWithinDistanceEitherOrderSameField() throws {
        let term = "mali NEAR/3 attack*"
        #expect(try matches(term, "Mali: attack on convoy"))
        #expect(try !matches(term, "Attackers struck a base in northern Mali"))  // 6 words apart
        #expect(try matches(term, "attack in central Mali"))
        #expect(try !matches(term, "attack on a remote base in central Mali"))
        #expect(try !matches(term, "Mali", "attack"))                             // title vs body
    }

    @Test func orAndGroups() throws {
        #expect(try matches("(Gao OR Kidal) NEAR/2 convoy", "Kidal convoy hit"))
        #expect(try matches("Gao OR Kidal", "News from Gao"))
        #expect(try !matches("Gao OR Kidal", "News from Mopti"))
    }

    @Test func exceptDropsOccurrencesInsideTheNegativeContext() throws {
        let term = "Niger EXCEPT (Niger State OR Niger Delta)"
        #expect(try !matches(term, "Gunmen abduct 20 in Niger State"))
        #expect(try !matches(term, "Militants in the Niger Delta"))
        #expect(try matches(term, "Niger State police say Niger army helped"))   // second Niger counts
        #expect(try matches(term, "Attack in Niger"))
    }

    @Test func matchedListsATermWithoutItsNegativeContext() throws {
        let yaml = ClassifierFixture.topic("      \"Niger EXCEPT (Niger State OR Niger Delta)\": 1\n      \"(Gao OR Kidal) EXCEPT Gao Airport\": 1\n")
        let matches = try ClassifierFixture.classifier(yaml).classify(ClassifierFixture.story("Attack in Niger near Kidal"))
        #expect(matches.first?.matched == ["Niger", "(Gao OR Kidal)"])
    }

    @Test func setsAreReusableAndNest() throws {
        let sets = "  towns: [Gao, Kidal]\n  places: ['@towns', Mali]\n"
        #expect(try matches("@places", "Shelling in Kidal", sets: sets))
        #expect(try matches("@places NEAR/2 shelling", "Kidal shelling", sets: sets))
        #expect(try !matches("@places", "Shelling in Mopti", sets: sets))
    }

    @Test func perLanguageListsApplyToTheirLanguageOrUnknown() throws {
        let sets = "  words:\n    en: [attack]\n    fr: [attaque]\n"
        #expect(try matches("@words", "attack", language: "en", sets: sets))
        #expect(try !matches("@words", "attack", language: "fr", sets: sets))
        #expect(try matches("@words", "attaque", language: "fr-FR", sets: sets))
        #expect(try matches("@words", "attack", language: nil, sets: sets))
    }

    @Test func detectedLanguageCountsWhenTheDeclaredOneIsWrong() throws {
        let sets = "  words:\n    fr: [tues]\n"
        let french = "Au moins dix soldats ont été tués dans une attaque selon les autorités"
        #expect(try matches("@words", french, language: "en", sets: sets))        // text is French
        #expect(try !matches("@words", "Ten were tues in the list of the day", language: "en", sets: sets))
    }

    @Test func overlappingMembersOfOneSetCountOnce() throws {
        let sets = "  places: [Chad, Lake Chad, Burkina, Burkina Faso]\n"
        let classifier = try F.classifier(F.topic("      '@places': 1\n", sets: sets))
        let lake = try #require(classifier.classify(F.story("Raid on Lake Chad island")).first)
        #expect(lake.matched == ["Lake Chad"] && lake.score == 3)
        let both = try #require(classifier.classify(F.story("Burkina Faso and Chad")).first)
        #expect(both.matched == ["Burkina Faso", "Chad"] && both.score == 6)   // longest members first
    }

    @Test func fieldBoostsScoreTheBestFieldOnce() throws {
        let classifier = try F.classifier(F.topic("      ambush: 2\n"))
        let inTitle = classifier.classify(F.story("Ambush", "ambush ambush"))
        #expect(inTitle.first?.score == 6)                                        // 2 × title 3, once
        let inLead = classifier.classify(F.story("News", "An ambush"))
        #expect(inLead.first?.score == 4)                                         // 2 × lead 2
        let late = "one two three four five six seven eight nine ten eleven ambush"
        #expect(classifier.classify(F.story("News", late)).first?.score == 2)    // 2 × body 1
    }

    @Test func loneSetScoresEachMemberOtherExpressionsOnce() throws {
        let sets = "  v: [attack*, ambush*]\n"
        let perMember = try F.classifier(F.topic("      '@v': 1\n", sets: sets))
        #expect(perMember.classify(F.story("Attack and ambush")).first?.score == 6)
        #expect(perMember.classify(F.story("Attack and ambush")).first?.matched == ["attack*", "ambush*"])
        let once = try F.classifier(F.topic("      '@v OR raid': 1\n", sets: sets))
        #expect(once.classify(F.story("Attack and ambush")).first?.score == 3)
    }

    @Test func thresholdAndNegativeContext() throws {
        let terms = "      attack: 2\n      gold: -1\n"
        let classifier = try F.classifier(F.topic(terms, threshold: 6))
        #expect(classifier.classify(F.story("Attack")).first?.score == 6)
        #expect(classifier.classify(F.story("Attack on gold")).isEmpty)          // 6 − 3 < 6
        let match = try #require(try F.classifier(F.topic(terms, threshold: 1)).classify(F.story("Attack on gold")).first)
        #expect(match.matched == ["attack"])                                      // only positive terms listed
    }

    @Test func requireAllAnyNoneAndFieldLimits() throws {
        let extra = """
            require:
              - any: [Mali, Niger]
              - in: [title]
                all: [attack]
              - none: [football]

        """
        let classifier = try F.classifier(F.topic("      attack: 1\n", extra: extra))
        #expect(!classifier.classify(F.story("Attack in Mali")).isEmpty)
        #expect(classifier.classify(F.story("Attack in Chad")).isEmpty)           // any failed
        #expect(classifier.classify(F.story("News from Mali", "attack")).isEmpty) // attack only in body
        #expect(classifier.classify(F.story("Attack in Mali football match")).isEmpty)
    }

    @Test func leadFieldIsTheOpeningOfTheBody() throws {
        let extra = "    require:\n      - in: [lead]\n        any: [ambush]\n"
        let classifier = try F.classifier(F.topic("      ambush: 1\n", extra: extra))
        #expect(!classifier.classify(F.story("News", "An ambush today")).isEmpty)
        let late = "one two three four five six seven eight nine ten eleven ambush"
        #expect(classifier.classify(F.story("News", late)).isEmpty)
    }

    @Test func excludeVetoesTheTopic() throws {
        let extra = "    exclude: [Somalia]\n"
        let classifier = try F.classifier(F.topic("      attack: 5\n", extra: extra))
        #expect(!classifier.classify(F.story("Attack in Mali")).isEmpty)
        #expect(classifier.classify(F.story("Attack in Somalia")).isEmpty)
    }

    @Test func htmlInSummaryIsReadAsText() throws {
        #expect(try matches("Kidal", "News", "<p>Shelling in <b>Kidal</b> &amp; around</p>"))
    }
}

import FeedwatchClassify
import FeedwatchModel
import Testing

/// The shipped Config/watchlist.yaml loads and behaves on the cases the product names.
@Suite struct WatchlistShippedTests {
    let classifier: Classifier

    init() throws {
        classifier = Classifier(watchlist: try Watchlist.load(path: ClassifierFixture.shippedWatchlistPath))
    }

    @Test func shipsSahelSecurityAndExampleTopics() {
        let names = classifier.watchlist.topics.map(\.name)
        #expect(names.first == "sahel-security")
        #expect(names.count >= 3)
        #expect(classifier.watchlist.setNames.contains("sahel_places"))
        // @sahel_places is defined once and reused by several topics.
        let users = classifier.watchlist.topics.filter { topic in topic.terms.contains { $0.via == "sahel_countries" } }
        #expect(users.count >= 2)
    }

    func sahel(_ title: String, _ body: String = "", _ language: String = "en") -> Bool {
        classifier.classify(Story(id: "x", title: title, summary: body, language: language))
            .contains { $0.topic == "sahel-security" }
    }

    @Test func namedNegativeContexts() {
        #expect(!sahel("Gunmen kidnap 12 in Niger State", "Bandits struck a village in Niger State, police said."))
        #expect(!sahel("Militants attack oil platform in the Niger Delta", "Shell said an attack hit its facility."))
        #expect(!sahel("Chad Johnson attacks critics on podcast", "The former receiver hit back at critics."))
        #expect(!sahel("Mali gold exports rise despite jihadist insurgency", "Gold production rose 10% to 70 tonnes."))
        #expect(!sahel("Somalia: al-Shabaab attack kills 10 in Mogadishu"))
    }

    @Test func corePositives() {
        #expect(sahel("Jihadists kill 15 soldiers in ambush near Mopti", "JNIM fighters ambushed an army convoy in central Mali."))
        #expect(sahel("Niger: une attaque fait 12 morts près de Tillabéri", "Des hommes armés ont attaqué un poste militaire.", "fr"))
        #expect(sahel("Boko Haram kills 9 fishermen on Lake Chad", "The attack happened near Baga in Borno state."))
    }
}

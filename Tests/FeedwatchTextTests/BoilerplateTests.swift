import Testing
@testable import FeedwatchText

@Suite("Boilerplate.strip")
struct BoilerplateTests {
    private let article = "Gunmen attacked a military post near Djibo on Sunday, killing six soldiers.\n\nThe army said reinforcements had been sent."

    @Test("Removes chrome lines around the article", arguments: [
        "Skip to content\n\n{A}",
        "{A}\n\nShare this:\nFacebook\nTwitter\nWhatsApp",
        "{A}\n\nFacebook Twitter LinkedIn Email",
        "{A}\n\n12 Comments",
        "{A}\n\nLeave a comment",
        "{A}\n\nSubscribe to our newsletter for daily updates",
        "{A}\n\nAbonnez-vous à notre newsletter",
        "{A}\n\nRead more",
        "{A}\n\n© 2026 Sahel Daily. All rights reserved.",
        "{A}\n\nPhoto: AFP / Issouf Sanogo",
        "By Jane Doe\n\n{A}",
        "Published: 25 November 2026\n\n{A}",
        "{A}\n\nRelated\nMali junta extends transition by five years\nNiger closes border with Benin\nChad: army repels attack",
        "{A}\n\nÀ lire aussi :\nBurkina : l'armée reprend Djibo\nMali : nouvelles sanctions",
        "{A}\n\nTags: Burkina Faso, Djibo, JNIM",
        "{A}\n\nAdvertisement",
        "{A}\n\nComment count on this article reflects comments made on sahel-daily.example and Facebook. Visit Sahel Daily's Facebook Page.",
        "Skip to content\nMenu\nSearch\n\n{A}\n\nShare this:\nTwitter\nFacebook\nLike this:\nLike Loading...",
        "Aller au contenu\nMenu\nRechercher\n\n{A}\n\nPartager :\nFacebook\nE-mail",
        "Home | Africa | Sahel | Mali\n\n{A}",
        "Trending: Jihadists kill 30 soldiers in central Mali attack | Niger junta closes airspace | Burkina convoy ambushed near Djibo\n\n{A}",
        "Trending: Jihadists kill 30 soldiers in central Mali attack\n\n{A}",
        "{A}\n\nTrending\nMali junta extends transition by five years\nNiger closes border with Benin",
        "{A}\n\nLes plus lus :\nBurkina : l'armée reprend Djibo\nMali : nouvelles sanctions",
    ])
    func removesChrome(_ template: String) {
        let input = template.replacingOccurrences(of: "{A}", with: article)
        #expect(Boilerplate.strip(input) == article)
    }

    @Test("Removes 'appeared first on' and its French form inside a line")
    func appearedFirstOn() {
        #expect(Boilerplate.strip("The army said reinforcements had been sent. The post Six soldiers killed near Djibo appeared first on Sahel Daily.")
                == "The army said reinforcements had been sent.")
        #expect(Boilerplate.strip("L'armée a envoyé des renforts. Cet article Six soldats tués près de Djibo est apparu en premier sur Sahel Quotidien.")
                == "L'armée a envoyé des renforts.")
    }

    @Test("Removes trailing ellipses, read-more links and agency credits in lines")
    func inline() {
        #expect(Boilerplate.strip("BAMAKO (AFP) - Gunmen attacked a post near Mopti […]") == "BAMAKO - Gunmen attacked a post near Mopti")
        #expect(Boilerplate.strip("The convoy was ambushed near Gao. Read more »") == "The convoy was ambushed near Gao.")
    }

    @Test("Never splits or joins words: only whole words are dropped")
    func wholeWords() {
        #expect(Boilerplate.strip("Officials fear the fighting could spread more") == "Officials fear the fighting could spread more")
        #expect(Boilerplate.strip("Officials fear the fighting could spread… Read more") == "Officials fear the fighting could spread")
        #expect(Boilerplate.strip("Écoutez la suite de l'entretien… lire la suite") == "Écoutez la suite de l'entretien")
        #expect(Boilerplate.strip("Counsellors soothe post traumatic stress, which appeared first on the list of needs.")
                == "Counsellors soothe post traumatic stress, which appeared first on the list of needs.")
        #expect(Boilerplate.strip("Gunmen stormed Bamako(AFP)Monday night") == "Gunmen stormed Bamako Monday night")
        #expect(Boilerplate.strip("Gunmen stormed Ségou(AFP)élus") == "Gunmen stormed Ségou élus")
    }

    @Test("Keeps article sentences that merely start like chrome")
    func keepsText() {
        let text = "By nightfall the army had retaken the town of Djibo after two days of heavy fighting with jihadists, officials said.\n\nUpdated casualty figures released on Monday by the regional governor put the death toll at 34 civilians and 11 soldiers."
        #expect(Boilerplate.strip(text) == text)
        #expect(Boilerplate.strip("Reuters reported that the junta had closed the border.") == "Reuters reported that the junta had closed the border.")
    }

    @Test("Related-story headings are recognised alone, in several languages; a sentence is not one")
    func relatedHeadingLine() {
        #expect(Boilerplate.isRelatedHeading(line: "Related stories:"))
        #expect(Boilerplate.isRelatedHeading(line: "À lire aussi"))
        #expect(Boilerplate.isRelatedHeading(line: "Você pode gostar..."))
        #expect(!Boilerplate.isRelatedHeading(line: "Related attacks were reported in Ménaka on Sunday."))
    }
}

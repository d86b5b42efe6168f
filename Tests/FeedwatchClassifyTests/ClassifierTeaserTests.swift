import FeedwatchClassify
import FeedwatchModel
import FeedwatchText
import Testing

/// `TeaserCheck`, the daemon's rule for reading an entry's article page (`full_text: auto`), and
/// `Classifier.mayMatchWithMoreText`, the anchors it rests on.
@Suite struct ClassifierTeaserTests {
    typealias F = ClassifierFixture

    static let requireBoth = F.topic("      Mali: 2\n      attack*: 1\n", threshold: 3, extra: """
            require:
              - any: [Mali, Niger, "Burkina Faso"]
              - any: [attack*, gunmen, killed]

        """)

    @Test func aRequiredPartAnchorsTheTopicAndNoneOfThemRulesItOut() throws {
        let c = try F.classifier(Self.requireBoth)
        #expect(c.mayMatchWithMoreText(F.story("Gunmen storm army camp")))              // the subject, not yet the place
        #expect(c.mayMatchWithMoreText(F.story("President of Niger visits Paris")))     // the place, not yet the subject
        #expect(c.mayMatchWithMoreText(F.story("News", "Burkina Faso's capital")))      // a phrase in the body
        #expect(!c.mayMatchWithMoreText(F.story("Bakery wins bread prize", "A family bakery took first place.")))
        // Neither of them matches on its own text.
        #expect(c.classify(F.story("Gunmen storm army camp")).isEmpty)
    }

    @Test func aTopicWithoutRequireIsAnchoredByItsPositiveTerms() throws {
        let c = try F.classifier(F.topic("      Mopti: 2\n      soldier*: 1\n      football: -3\n"))
        #expect(c.mayMatchWithMoreText(F.story("Soldiers patrol the market")))
        #expect(!c.mayMatchWithMoreText(F.story("Football final tonight")))             // a negative term anchors nothing
    }

    @Test func aNoneRuleDoesNotOpenTheGate() throws {
        let c = try F.classifier(F.topic("      Mali: 2\n", extra: """
                require:
                  - any: [Mali]
                  - none: [football]

            """))
        #expect(c.mayMatchWithMoreText(F.story("Mali news")))
        #expect(!c.mayMatchWithMoreText(F.story("Weather today")))
    }

    @Test func shortOrCutOffFeedTextIsATeaser() throws {
        let c = try F.classifier(Self.requireBoth)
        let long = String(repeating: "Gunmen attacked the town and residents fled. ", count: 12)
        func check(_ body: String, words: Int = 60) -> TeaserCheck {
            TeaserCheck.check(Story(id: "s", title: "Gunmen storm army camp", summary: body), teaserWords: words, classifier: c)
        }
        #expect(check("<p>Gunmen stormed a camp overnight.</p>").short)
        #expect(check("<p>Gunmen stormed a camp overnight.</p>").wantsPage)
        #expect(!check("<p>\(long)</p>").wantsPage)
        #expect(check("<p>\(long) and then […]</p>").truncated)
        #expect(check("<p>\(long) officials said&#8230;</p>").truncated)
        // "Read more" at the entry's own link is a mark; at another story's link it is not.
        func linked(_ body: String) -> TeaserCheck {
            TeaserCheck.check(Story(id: "s", title: "Gunmen storm army camp", summary: body,
                                    link: "https://news.example/a?utm_source=rss"), teaserWords: 60, classifier: c)
        }
        #expect(linked("<p>\(long)</p><p><a href=\"https://news.example/a\">Read more</a></p>").truncated)
        #expect(!linked("<p>\(long) <a href=\"https://news.example/related/9\">Read more</a></p>").truncated)
        // An article well past a teaser's length is not an excerpt, whatever its last words.
        #expect(!check("<p>\(long) \(long) \(long)…</p>").truncated)
        #expect(check("<p>\(long) Continue reading →</p>").wantsPage)
        #expect(!check("<p>\(long) and the rains spread more</p>").truncated)        // "spread more" is no mark
        // Tags do not count as words.
        #expect(TeaserCheck.countWords("<p class=\"a b c d\">one two</p>", upTo: 100) == 2)
        // An unrelated teaser is never worth its page.
        let bakery = TeaserCheck.check(Story(id: "b", title: "Bakery wins prize", summary: "A bakery won…"), teaserWords: 60,
                                       classifier: c)
        #expect(bakery.short && bakery.truncated == false && bakery.mayMatch == false && !bakery.wantsPage)
        // `always`: any story some topic could match, long or not.
        #expect(TeaserCheck.check(Story(id: "s", title: "Gunmen", summary: long), teaserWords: 60, always: true,
                                  classifier: c).wantsPage)
    }

    @Test func truncationMarksAreBoilerplatesTails() {
        #expect(Boilerplate.looksTruncated("The army said it repelled the attack…"))
        #expect(Boilerplate.looksTruncated("The army said it repelled the attack [...]"))
        #expect(Boilerplate.looksTruncated("The army said it repelled the attack. Lire la suite"))
        #expect(Boilerplate.looksTruncated("The army said it repelled the attack. READ MORE  "))
        #expect(!Boilerplate.looksTruncated("The army said it repelled the attack."))
        #expect(!Boilerplate.looksTruncated("« Nous continuerons », a dit le ministre »"))
        // What `strip` cuts from a line's end is what `looksTruncated` reads.
        #expect(Boilerplate.strip("The army said it repelled the attack [...]") == "The army said it repelled the attack")
    }
}

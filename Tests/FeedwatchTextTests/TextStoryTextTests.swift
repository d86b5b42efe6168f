import Foundation
import Testing
import FeedwatchModel
@testable import FeedwatchText

@Suite("StoryText")
struct TextStoryTextTests {
    @Test("Plain text of the longer of content and summary, chrome stripped, link canonical, language detected")
    func storyText() {
        let story = Story(
            id: "1", title: "Mali&nbsp;: <b>l&rsquo;armée</b> repousse une attaque",
            summary: "Court résumé.",
            content: "<p>Skip to content</p><p>L'armée malienne a repoussé dimanche une attaque contre un poste près de Mopti, selon un communiqué.</p><p>Les assaillants ont fui vers le delta intérieur du Niger.</p><p>Cet article Mali est apparu en premier sur Sahel Infos.</p>",
            link: "https://www.example.com/mali?utm_source=rss#x", source: "Sahel Infos", language: "en")
        let text = StoryText(story)
        #expect(text.title == "Mali : l’armée repousse une attaque")
        #expect(text.body == "L'armée malienne a repoussé dimanche une attaque contre un poste près de Mopti, selon un communiqué.\n\nLes assaillants ont fui vers le delta intérieur du Niger.")
        #expect(text.canonicalLink == "https://example.com/mali")
        #expect(text.language == "fr")
        #expect(text.paragraphs.count == 2)
        #expect(text.lead(words: 5) == text.paragraphs[0])
        #expect(text.lead(words: 500) == Substring(text.body))
    }

    @Test("A story without content uses its summary; without link has no canonical link")
    func summaryOnly() {
        let text = StoryText(Story(id: "2", title: "Attack", summary: "Gunmen attacked a post near Gao on Sunday, the army said."))
        #expect(text.body == "Gunmen attacked a post near Gao on Sunday, the army said.")
        #expect(text.canonicalLink == nil)
        #expect(text.language == "en")
    }
}

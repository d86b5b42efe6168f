import FeedwatchClassify
import FeedwatchTestSupport
import Foundation
import Testing

/// Precision, recall and F1 of the shipped sahel-security topic on the labelled dev set.
///
/// Part A (113 stories) was written first and the watchlist tuned on it. Parts B (112), C (62) and
/// D (37: title-only items, boilerplate, passing mentions, mislabelled languages) were each written
/// afterwards as held-out checks and measured before any tuning on them: B P 0.982 R 0.949
/// F1 0.966; C P 0.892 R 0.971 F1 0.930; D P 0.938 R 0.750 F1 0.833; E (34) P 0.947 R 1.000
/// F1 0.973; F (24 deliberately hard ones, written last) P 0.769 R 1.000 F1 0.870, of which two
/// false positives were on review mislabelled against the product definition (relabelled, noted
/// in their `kind`): P 0.923 R 1.000 F1 0.960. G (26 title-only probes) was used for tuning.
/// H (132, English and French, written by an outside auditor: full stories with HTML content, site
/// chrome, title-only probes, missing and wrong declared languages) was measured before any tuning
/// on it: P 0.886 R 0.984 F1 0.932 (8 FP: AES passport, Chad as a first name twice, attacks in
/// Paris and Berlin with a Mali link, a swearing-in, "l'État du Niger" in Nigeria, a nav bar of
/// headlines; 1 FN: French troops ordered out of Niger). The fixes were general rules (site chrome
/// dropped by FeedwatchText's Boilerplate, foreign forces as a subject, attacks in Europe as
/// out of scope, institutional headlines excluded, the AES as an anchor and only its joint force a
/// force); after them H is P 0.984 R 1.000 F1 0.992, the one FP being the nav bar (a "Trending:
/// a | b | c" line Boilerplate does not yet drop). H was used for tuning from then on.
/// I (94, 54 English and 40 French, written before reading the watchlist or the other parts) was
/// measured before any tuning on it: P 0.980 R 1.000 F1 0.990 (1 FP: an AES passport "joint" to the
/// three states read as the AES joint force). Fixes, each for a class of stories: the AES force needs
/// a noun (force, troops, joint operations), not the adjective "joint"; "firefight" no longer takes
/// firefighters, and fires (firefighters, blaze, pompiers) and heatwaves count as disasters; French
/// "frappé par la crise / de plein fouet" and "explosion des prix / des cas" are not strikes or blasts.
/// After them I is P 1.000 R 1.000 F1 1.000; I is used for tuning from now on.
/// J (80, 40 positive and 40 hard negative, half French, written before reading the watchlist or
/// the other parts) samples the shapes real feeds deliver: Google News titles with " - Source" and
/// no body, ALL-CAPS headlines, "LIVE:", "UPDATE 2-", "EXCLUSIVE-", "Factbox:", "Explainer:",
/// summaries cut with "[…]"/"Read more" or reduced to a photo caption or a dateline, and local
/// outlets (Malijet, Burkina24, ActuNiger, Alwihda, Cridem, HumAngle, Daily Trust) with unaccented
/// names and local abbreviations (FAMa, FDS/VDP, EIGS, GSIM, HANI). Measured before any tuning on it:
/// P 1.000 R 0.975 F1 0.987 (1 FN: "La Transition : … mobilisation générale face aux groupes armés
/// terroristes", where the junta is named only as "la Transition"). Fixes, each for a class of local
/// copy: "la Transition" near jihadists/terrorists anchors a French story; "incursion" (near armed
/// men, villages, positions), HANI, FDS, "ratissage", "opération de sécurisation" and "neutralisé(s)
/// des terroristes" are vocabulary. After them J is P 1.000 R 1.000 F1 1.000, A–I unchanged.
/// The watchlist was then tuned
/// with general rules (not story-specific terms), so the bar below sits under the tuned figures.
@Suite struct ClassifierQualityTests {
    struct Score: CustomStringConvertible {
        var tp = 0, fp = 0, fn = 0, tn = 0
        var precision: Double { tp + fp == 0 ? 0 : Double(tp) / Double(tp + fp) }
        var recall: Double { tp + fn == 0 ? 0 : Double(tp) / Double(tp + fn) }
        var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }
        var description: String {
            String(format: "P=%.3f R=%.3f F1=%.3f (tp %d fp %d fn %d tn %d)", precision, recall, f1, tp, fp, fn, tn)
        }
    }

    static func score(_ stories: [LabelledStory], _ classifier: Classifier) -> (Score, [String]) {
        var score = Score()
        var errors: [String] = []
        for labelled in stories {
            let predicted = classifier.classify(labelled.story).contains { $0.topic == "sahel-security" }
            switch (predicted, labelled.sahel) {
            case (true, true): score.tp += 1
            case (true, false): score.fp += 1; errors.append("FP \(labelled.story.id) [\(labelled.kind)] \(labelled.story.title)")
            case (false, true): score.fn += 1; errors.append("FN \(labelled.story.id) [\(labelled.kind)] \(labelled.story.title)")
            case (false, false): score.tn += 1
            }
        }
        return (score, errors)
    }

    @Test func devSetIsLargeBalancedAndBilingual() throws {
        let stories = try Self.parts.flatMap { try LabelledStory.load($0) }
        #expect(stories.count >= 200)
        #expect(Set(stories.map(\.story.id)).count == stories.count)
        for language in ["en", "fr"] {
            let inLanguage = stories.filter { $0.story.language == language }
            #expect(inLanguage.contains { $0.sahel } && inLanguage.contains { !$0.sahel })
        }
    }

    static let parts = DevSet.classifyParts

    @Test(arguments: parts)
    func sahelSecurityMeetsTheBarOnEachPart(part: String) throws {
        let classifier = Classifier(watchlist: try Watchlist.load(path: ClassifierFixture.shippedWatchlistPath))
        let (score, errors) = Self.score(try LabelledStory.load(part), classifier)
        print("sahel-security on \(part): \(score)")
        errors.forEach { print("  \($0)") }
        #expect(score.precision >= 0.93, "\(part): \(score)")
        #expect(score.recall >= 0.93, "\(part): \(score)")
    }

    /// `classify` skips stories that fail every topic's `require` on a first look (`RequireScreen`);
    /// `explain` never does. The two agree on every story of the dev set.
    @Test func classifyAgreesWithExplainOnTheWholeDevSet() throws {
        let classifier = Classifier(watchlist: try Watchlist.load(path: ClassifierFixture.shippedWatchlistPath))
        let stories = try Self.parts.flatMap { try LabelledStory.load($0) }
        for labelled in stories {
            let classified = classifier.classify(labelled.story)
            let explained = classifier.explain(labelled.story).filter(\.matched)
            #expect(classified.map(\.topic) == explained.map(\.topic), "\(labelled.story.id)")
            #expect(classified.map(\.score) == explained.map(\.score), "\(labelled.story.id)")
        }
    }

    @Test func sahelSecurityF1OnWholeDevSet() throws {
        let classifier = Classifier(watchlist: try Watchlist.load(path: ClassifierFixture.shippedWatchlistPath))
        let stories = try Self.parts.flatMap { try LabelledStory.load($0) }
        let (score, _) = Self.score(stories, classifier)
        print("sahel-security on the whole dev set: \(score)")
        #expect(score.f1 >= 0.95, "\(score)")
    }
}

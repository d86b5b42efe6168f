import Foundation
import Testing
import FeedwatchDedup
import FeedwatchModel

@Suite("Dedup quality on the labelled development set")
struct DedupQualityTests {
    @Test("Development set is large, bilingual and has hard negatives")
    func devSetShape() throws {
        let set = try DedupDevSet.load()
        #expect(set.stories.count >= 150)
        #expect(Set(set.stories.compactMap(\.language)) .isSuperset(of: ["en", "fr"]))
        // Hard negatives: distinct dispatches about one event or one place.
        let groupsPerEvent = Dictionary(grouping: set.labels, by: \.event).mapValues { Set($0.map(\.dup_group)).count }
        #expect(groupsPerEvent.values.filter { $0 > 1 }.count >= 3)
    }

    @Test("Near-duplicate pairs: precision and recall ≥ 0.97")
    func nearDuplicates() throws {
        let set = try DedupDevSet.load()
        let score = set.duplicateScore(set.run())
        print("dedup dev set (\(set.stories.count) stories) near-duplicate pairs: \(score)")
        for (a, b) in score.falsePositives.prefix(10) { print("  false duplicate: \(a) ~ \(b)") }
        for (a, b) in score.falseNegatives.prefix(20) { print("  missed duplicate: \(a) ~ \(b)") }
        #expect(score.precision >= 0.97)
        #expect(score.recall >= 0.97)
    }

    @Test("Event clusters: pairwise precision ≥ 0.95, recall ≥ 0.9 (measured 1.000 / 0.957)")
    func clusters() throws {
        let set = try DedupDevSet.load()
        let score = set.clusterScore(set.run())
        print("dedup dev set event-cluster pairs: \(score)")
        for (a, b) in score.falsePositives.prefix(10) { print("  wrong cluster: \(a) ~ \(b)") }
        for (a, b) in score.falseNegatives.prefix(10) { print("  split cluster: \(a) ~ \(b)") }
        #expect(score.precision >= 0.95)
        #expect(score.recall >= 0.9)
    }

    @Test("A duplicate always joins its original's cluster")
    func duplicateJoinsCluster() throws {
        let set = try DedupDevSet.load()
        let results = set.run()
        let clusterOf = Dictionary(uniqueKeysWithValues: results.map { ($0.id, $0.story) })
        for r in results {
            guard let original = r.duplicateOf else { continue }
            #expect(clusterOf[original] == r.story, "\(r.id) duplicates \(original)")
        }
        #expect(results.contains { $0.duplicateOf != nil })
    }
}

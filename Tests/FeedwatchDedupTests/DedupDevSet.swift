import Foundation
import FeedwatchDedup
import FeedwatchModel
import FeedwatchTestSupport
import Testing

/// The labelled dedup development set (`Tests/DevSet/dedup/stories.jsonl`, built by `make_devset.py`).
struct DedupDevSet {
    struct Labels: Decodable {
        var id: String
        var dup_group: String
        var event: String
    }

    let stories: [Story]
    let labels: [Labels]

    static func load() throws -> DedupDevSet {
        let url = DevSet.url("dedup/stories.jsonl")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        let decoder = JSONDecoder()
        return DedupDevSet(stories: try lines.map { try decoder.decode(Story.self, from: Data($0.utf8)) },
                           labels: try lines.map { try decoder.decode(Labels.self, from: Data($0.utf8)) })
    }

    /// Runs the stories through a fresh deduplicator in file (arrival) order.
    func run(_ config: DedupConfig = .init()) -> [DedupResult] {
        let dedup = Deduplicator(config: config)
        return stories.map { dedup.add($0, at: $0.published ?? Date(timeIntervalSince1970: 0)) }
    }

    struct PairScore: CustomStringConvertible {
        var tp = 0, fp = 0, fn = 0
        var falsePositives: [(String, String)] = []
        var falseNegatives: [(String, String)] = []
        var precision: Double { tp + fp == 0 ? 1 : Double(tp) / Double(tp + fp) }
        var recall: Double { tp + fn == 0 ? 1 : Double(tp) / Double(tp + fn) }
        var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }
        var description: String {
            String(format: "P=%.3f R=%.3f F1=%.3f (tp %d, fp %d, fn %d)", precision, recall, f1, tp, fp, fn)
        }
    }

    /// Pairwise agreement of predicted groups with labelled groups over all story pairs.
    func score(predicted: [String], truth: [String]) -> PairScore {
        var s = PairScore()
        for i in 0..<predicted.count {
            for j in (i + 1)..<predicted.count {
                let p = predicted[i] == predicted[j], t = truth[i] == truth[j]
                switch (p, t) {
                case (true, true): s.tp += 1
                case (true, false): s.fp += 1; s.falsePositives.append((labels[i].id, labels[j].id))
                case (false, true): s.fn += 1; s.falseNegatives.append((labels[i].id, labels[j].id))
                default: break
                }
            }
        }
        return s
    }

    func duplicateScore(_ results: [DedupResult]) -> PairScore {
        score(predicted: results.map { $0.duplicateOf ?? $0.id }, truth: labels.map(\.dup_group))
    }

    func clusterScore(_ results: [DedupResult]) -> PairScore {
        score(predicted: results.map(\.story), truth: labels.map(\.event))
    }
}

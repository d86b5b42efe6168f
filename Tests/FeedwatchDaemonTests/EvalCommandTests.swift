import Foundation
import Testing

/// `feedwatch eval` as a user runs it: a labelled set with a broken line, a watchlist or a full config.
@Suite struct EvalCommandTests {
    static let watchlist = """
    topics:
      sahel:
        threshold: 2
        boost: {title: 1, lead: 1, body: 1, lead_words: 10}
        terms:
          Mali: 1
          attack*: 1
      weather:
        threshold: 1
        terms:
          rain: 1
    """

    static let set = """
    {"id":"a","title":"Attack in Mali","language":"en","labels":{"sahel":1,"weather":0}}
    {"id":"b","title":"Rain in Mali","language":"en","labels":{"sahel":0,"weather":1}}
    {"id":"c","title":"Embuscade au Mali","language":"fr","labels":{"sahel":1}}
    {"id":"d","title":"broken
    {"id":"e","title":"Mali attack on rain","language":"en","labels":{"sahel":0}}

    {"id":"f","title":"Mali","label":"maybe"}
    """

    func layout() throws -> String {
        let dir = NSTemporaryDirectory() + "fw-eval-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Self.watchlist.write(toFile: dir + "/watchlist.yaml", atomically: true, encoding: .utf8)
        try (Self.set + "\n").write(toFile: dir + "/set.jsonl", atomically: true, encoding: .utf8)
        try """
            watchlist: watchlist.yaml
            sources:
              - {name: Wire, url: "https://example.org/feed"}
            sinks:
              - {type: file, path: alerts.jsonl}

            """.write(toFile: dir + "/feedwatch.yaml", atomically: true, encoding: .utf8)
        return dir
    }

    @Test(.enabled(if: BuiltCLI.path != nil, "needs the built feedwatch binary"))
    func brokenLinesAreNamedAndTheRestIsScored() throws {
        let dir = try layout()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try BuiltCLI.run(["eval", "--config", dir + "/watchlist.yaml", "--set", dir + "/set.jsonl", "--topic", "sahel"])
        #expect(r.status == 1)
        let errors = r.stderr.split(separator: "\n").map(String.init)
        #expect(errors == [dir + "/set.jsonl:4: not a story: invalid JSON",
                           dir + "/set.jsonl:7: label must be 1, 0 or \"skip\", found \"maybe\""])
        let out = r.stdout.split(separator: "\n").map(String.init)
        // a: hit; c: missed (French); e: false positive.
        #expect(out.first == "topic sahel: P=0.500 R=0.500 F1=0.500  tp=1 fp=1 fn=1 tn=1 (4 items)")
        #expect(out.contains("  fr: P=1.000 R=0.000 F1=0.000  (positives 1, items 1)"))
        #expect(out.contains { $0.hasPrefix("MISS c [fr] sahel: Embuscade au Mali  — not matched: score below threshold (score 1 < 2") })
        #expect(out.contains { $0.hasPrefix("FP   e [en] sahel: Mali attack on rain  — matched (score") })
        #expect(out.last == "eval: 4 stories from \(dir)/set.jsonl, 2 broken lines left out")
    }

    @Test(.enabled(if: BuiltCLI.path != nil, "needs the built feedwatch binary"))
    func aFullConfigIsReadForItsWatchlistAndJSONCoversEveryLabelledTopic() throws {
        let dir = try layout()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try BuiltCLI.run(["eval", "--config", dir + "/feedwatch.yaml", "--set", dir + "/set.jsonl", "--json"])
        // Without --topic the bare "label" of line 7 cannot be placed: that stops the run.
        #expect(r.status == 2)
        #expect(r.stderr.contains("set.jsonl:7: a bare \"label\" needs --topic"))
        try Self.set.split(separator: "\n").dropLast().joined(separator: "\n")
            .write(toFile: dir + "/set.jsonl", atomically: true, encoding: .utf8)
        let ok = try BuiltCLI.run(["eval", "--config", dir + "/feedwatch.yaml", "--set", dir + "/set.jsonl", "--json"])
        #expect(ok.status == 1)                        // line 4 is still broken
        let json = try #require(try JSONSerialization.jsonObject(with: Data(ok.stdout.utf8)) as? [String: Any])
        #expect(json["stories"] as? Int == 4 && json["broken"] as? Int == 1)
        let topics = try #require(json["topics"] as? [[String: Any]])
        #expect(topics.compactMap { $0["topic"] as? String } == ["sahel", "weather"])
        let weather = try #require((topics.last?["overall"]) as? [String: Any])
        #expect(weather["tp"] as? Int == 1 && weather["tn"] as? Int == 1 && weather["f1"] as? Double == 1)
        let mistakes = try #require(json["mistakes"] as? [[String: Any]])
        #expect(mistakes.compactMap { $0["kind"] as? String } == ["miss", "false_positive"])
    }
}

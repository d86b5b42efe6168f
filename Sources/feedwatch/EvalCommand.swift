import ArgumentParser
import FeedwatchClassify
import FeedwatchConfig
import FeedwatchModel
import Foundation

/// `feedwatch eval`: scores a watchlist against a labelled JSON Lines set, the analyst's tuning loop.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score a watchlist against labelled stories: precision, recall, F1 per topic and language, every mistake.",
        discussion: """
        Each line of the set is a story {"id","title","summary","content","link","source","language"} with
        "labels": {"topic": 1|0} (or a bare "label": 1|0|"skip" for --topic, or for the watchlist's only
        topic). A line that cannot be read is reported as file:line: message and left out; the rest is
        scored, and the exit status is then 1.
        """
    )

    @Option(name: .long, help: "A watchlist, or a full config (its watchlist is used).")
    var config: String

    @Option(name: .long, help: "The labelled set (JSON Lines).")
    var set: String

    @Option(name: .long, help: "Score only this topic (and give bare \"label\" fields to it).")
    var topic: String?

    @Flag(name: .long, help: "Print the report as one JSON object.")
    var json = false

    func run() throws {
        let watchlist = try Self.loadWatchlist(config)
        let names = watchlist.topics.map(\.name)
        if let topic, !names.contains(topic) {
            Terminal.standardError.write("eval: topic '\(topic)' is not in the watchlist; it has \(names.joined(separator: ", "))\n")
            throw ExitCode(2)
        }
        guard let data = FileManager.default.contents(atPath: set) else {
            Terminal.standardError.write("\(set):1: cannot read the labelled set\n")
            throw ExitCode(2)
        }
        let bareTopic = topic ?? (names.count == 1 ? names[0] : nil)
        let classifier = Classifier(watchlist: watchlist)
        let known = Set(names)
        var report = EvaluationReport()
        var stories = 0, broken = 0
        var unknownTopics: [String: Int] = [:]
        var lineNumber = 0
        for line in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            let item: EvaluationItem
            do {
                item = try EvaluationItem.parse(Data(line), bareLabelTopic: bareTopic)
            } catch .needsTopic {
                Terminal.standardError.write("\(set):\(lineNumber): a bare \"label\" needs --topic: the watchlist has "
                                             + "\(names.count) topics (\(names.prefix(6).joined(separator: ", "))…)\n")
                throw ExitCode(2)
            } catch {
                Terminal.standardError.write("\(set):\(lineNumber): \(error)\n")
                broken += 1
                continue
            }
            stories += 1
            let story = item.story
            let matched = Set(classifier.classify(story).map(\.topic))
            var explanations: [TopicExplanation]?
            for (name, label) in item.labels.sorted(by: { $0.key < $1.key }) {
                if let topic, name != topic { continue }
                guard known.contains(name) else {
                    unknownTopics[name, default: 0] += 1
                    continue
                }
                report.record(topic: name, story: story, label: label, predicted: matched.contains(name)) {
                    if explanations == nil { explanations = classifier.explain(story) }
                    return explanations?.first { $0.topic == name }
                }
            }
        }
        for (name, n) in unknownTopics.sorted(by: { $0.key < $1.key }) {
            Terminal.standardError.write("eval: \(set): \(n) label\(n == 1 ? "" : "s") for topic '\(name)', "
                                         + "which the watchlist does not have: left out\n")
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let out = EvalOutput(set: set, stories: stories, broken: broken, topics: report.topics, mistakes: report.mistakes)
            Terminal.standardOutput.write(String(decoding: try encoder.encode(out), as: UTF8.self) + "\n")
        } else {
            var text = report.description
            text += (text.isEmpty ? "" : "\n") + "eval: \(stories) stories from \(set)"
                + (broken > 0 ? ", \(broken) broken line\(broken == 1 ? "" : "s") left out" : "") + "\n"
            Terminal.standardOutput.write(text)
        }
        if broken > 0 { throw ExitCode.failure }
    }

    /// `--config` names a watchlist or a full config: a file with the config's own top-level keys is
    /// read as a config, and its (validated) watchlist path is used. Secrets are not needed to score.
    static func loadWatchlist(_ path: String) throws -> Watchlist {
        var watchlistPath = path
        if isFullConfig(path) {
            do {
                watchlistPath = try Config.load(path: path, secrets: false).watchlist
            } catch let e as ConfigError {
                for d in e.diagnostics { Terminal.standardError.write(d.description + "\n") }
                throw ExitCode(2)
            }
        }
        do {
            return try Watchlist.load(path: CheckCommand.display(watchlistPath))
        } catch let error as WatchlistError {
            Terminal.standardError.write(error.description + "\n")
            throw ExitCode(2)
        }
    }

    /// True when the YAML has a top-level key only a daemon config has (`sources`, `sinks`, `watchlist`).
    private static func isFullConfig(_ path: String) -> Bool {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return false }
        return text.split(whereSeparator: \.isNewline).contains { line in
            ["sources:", "sinks:", "watchlist:"].contains { line.hasPrefix($0) }
        }
    }
}

/// `eval --json`: the report with what was read.
struct EvalOutput: Encodable {
    var set: String
    var stories: Int
    var broken: Int
    var topics: [EvaluationReport.TopicFigures]
    var mistakes: [EvaluationReport.Mistake]
}

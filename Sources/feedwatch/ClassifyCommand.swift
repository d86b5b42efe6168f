import ArgumentParser
import FeedwatchClassify
import FeedwatchModel
import Foundation

/// `feedwatch classify`: JSON Lines stories on stdin, one `{"id", "topics"}` line per story on stdout.
struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Classify JSON Lines stories (stdin) against a watchlist's topics.",
        discussion: """
        Each input line is a story {"id","title","summary","content","link","source","language"}.
        Each output line is {"id": …, "topics": [{"topic": name, "score": n, "matched": [terms…]}]};
        an empty list means no topic. --explain adds "explain": why each topic did or did not match,
        and "text": the text classified (the story's own) and whether the daemon, with full_text auto,
        would read the article page behind the link instead (a teaser some topic could still match).
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case json, text }

    @Option(name: .long, help: "The watchlist YAML file.")
    var config: String

    @Flag(name: .long, help: "Explain every topic: rules, matched terms with weight and field, threshold.")
    var explain = false

    @Option(name: .long, help: "Output format: json (JSON Lines) or text (readable; implies --explain).")
    var format: Format = .json

    @Option(name: .long, help: "With --explain: feed text under this many words is a teaser (the config's full_text.teaser_words).")
    var teaserWords = 60

    func run() throws {
        let watchlist: Watchlist
        do {
            watchlist = try Watchlist.load(path: config)
        } catch let error as WatchlistError {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(2)
        }
        let classifier = Classifier(watchlist: watchlist)
        let decoder = JSONDecoder()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        var output = ClassifyOutput(encoder: encoder)
        var lineNumber = 0
        var failed = false
        while let line = readLine(strippingNewline: true) {
            lineNumber += 1
            if line.allSatisfy(\.isWhitespace) { continue }
            let story: Story
            do {
                story = try decoder.decode(Story.self, from: Data(line.utf8))
            } catch {
                FileHandle.standardError.write(Data("stdin:\(lineNumber): not a story: \(Self.reason(error))\n".utf8))
                failed = true
                continue
            }
            switch (format, explain) {
            case (.text, _):
                output.text(story, classifier.explain(story), teaser(story, classifier))
            case (.json, true):
                try output.json(ClassificationLine(id: story.id, topics: classifier.classify(story),
                                                explain: classifier.explain(story), text: teaser(story, classifier)))
            case (.json, false):
                try output.json(ClassificationLine(id: story.id, topics: classifier.classify(story), explain: nil))
            }
        }
        output.flush()
        if failed { throw ExitCode.failure }
    }

    /// Which text was classified, and whether the daemon would read the page instead.
    private func teaser(_ story: Story, _ classifier: Classifier) -> TeaserCheck {
        TeaserCheck.check(story, teaserWords: teaserWords, classifier: classifier)
    }

    private static func reason(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "missing \"\(key.stringValue)\""
        case DecodingError.typeMismatch(_, let context) where context.codingPath.isEmpty:
            "expected a JSON object"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "wrong type for \"\(context.codingPath.map(\.stringValue).joined(separator: "."))\""
        case DecodingError.dataCorrupted: "invalid JSON"
        default: "\(error)"
        }
    }
}

/// Buffers stdout writes: one write per 64 KiB instead of per line.
struct ClassifyOutput {
    let encoder: JSONEncoder
    private var buffer = Data()

    init(encoder: JSONEncoder) { self.encoder = encoder }

    mutating func json(_ value: ClassificationLine) throws {
        buffer.append(Data(try value.json(encoder: encoder).utf8))
        buffer.append(0x0A)
        if buffer.count >= 65_536 { flush() }
    }

    mutating func text(_ story: Story, _ explanations: [TopicExplanation], _ teaser: TeaserCheck) {
        var block = "── \(story.id): \(story.title)\n" + teaser.summary + "\n"
        for explanation in explanations { block += explanation.description + "\n" }
        buffer.append(Data((block + "\n").utf8))
        if buffer.count >= 65_536 { flush() }
    }

    mutating func flush() {
        FileHandle.standardOutput.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}

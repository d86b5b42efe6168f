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
        an empty list means no topic. --explain adds "explain": why each topic did or did not match.
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case json, text }

    @Option(name: .long, help: "The watchlist YAML file.")
    var config: String

    @Flag(name: .long, help: "Explain every topic: rules, matched terms with weight and field, threshold.")
    var explain = false

    @Option(name: .long, help: "Output format: json (JSON Lines) or text (readable; implies --explain).")
    var format: Format = .json

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
                output.text(story, classifier.explain(story))
            case (.json, true):
                try output.json(ClassifiedStory(id: story.id, topics: classifier.classify(story),
                                                explain: classifier.explain(story)))
            case (.json, false):
                try output.json(ClassifiedStory(id: story.id, topics: classifier.classify(story), explain: nil))
            }
        }
        output.flush()
        if failed { throw ExitCode.failure }
    }

    private static func reason(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "missing \"\(key.stringValue)\""
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "wrong type at \"\(context.codingPath.map(\.stringValue).joined(separator: "."))\""
        case DecodingError.dataCorrupted: "invalid JSON"
        default: "\(error)"
        }
    }
}

/// One output line: the contract `{"id", "topics"}`, plus `explain` only when asked for.
struct ClassifiedStory {
    var id: String
    var topics: [TopicMatch]
    var explain: [TopicExplanation]?

    /// Written by hand so keys come out in the documented order: id, topics (topic, score, matched).
    func jsonLine(encoder: JSONEncoder) throws -> String {
        var line = "{\"id\":" + JSONText.string(id) + ",\"topics\":["
        line += topics.map { match in
            "{\"topic\":" + JSONText.string(match.topic) + ",\"score\":" + JSONText.number(match.score)
                + ",\"matched\":[" + match.matched.map(JSONText.string).joined(separator: ",") + "]}"
        }.joined(separator: ",")
        line += "]"
        if let explain {
            line += ",\"explain\":" + String(decoding: try encoder.encode(explain), as: UTF8.self)
        }
        return line + "}"
    }
}

/// Minimal JSON literals for the output line.
enum JSONText {
    static func string(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
    }
}

/// Buffers stdout writes: one write per 64 KiB instead of per line.
struct ClassifyOutput {
    let encoder: JSONEncoder
    private var buffer = Data()

    init(encoder: JSONEncoder) { self.encoder = encoder }

    mutating func json(_ value: ClassifiedStory) throws {
        buffer.append(Data(try value.jsonLine(encoder: encoder).utf8))
        buffer.append(0x0A)
        if buffer.count >= 65_536 { flush() }
    }

    mutating func text(_ story: Story, _ explanations: [TopicExplanation]) {
        var block = "── \(story.id): \(story.title)\n"
        for explanation in explanations { block += explanation.description + "\n" }
        buffer.append(Data((block + "\n").utf8))
        if buffer.count >= 65_536 { flush() }
    }

    mutating func flush() {
        FileHandle.standardOutput.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}

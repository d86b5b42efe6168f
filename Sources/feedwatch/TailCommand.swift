import ArgumentParser
import FeedwatchConfig
import FeedwatchDaemon
import FeedwatchModel
import Foundation

/// `feedwatch tail`: the alert log for people (or filtered JSON Lines for tools).
struct TailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Pretty-print the alert log; --follow keeps reading as alerts arrive (across log rotation)."
    )

    @Flag(name: [.short, .long], help: "Keep reading as the log grows.")
    var follow = false

    @Option(name: .long, help: "Only alerts for this topic.")
    var topic: String?

    @Option(name: .long, help: "Only alerts raised within this duration (30m, 6h, 2d).")
    var since: String?

    @Flag(name: .long, help: "Print the matching alert lines as JSON Lines instead.")
    var json = false

    @Option(name: .long, help: "The alert log (default: the first file sink of --config, else $LOGS_DIRECTORY/alerts.jsonl).")
    var file: String?

    @Option(name: .long, help: "Take the alert log from this config's first file sink.")
    var config: String?

    @Option(name: .long, help: "With --follow and no --since: show this many past alerts first.")
    var lines: Int = 10

    func validate() throws {
        if let since, Quantity.duration(since) == nil {
            throw ValidationError("--since must be a duration such as 30m, 6h or 2d")
        }
    }

    func run() async throws {
        let path = try logPath()
        let reader = AlertLogReader(path: path)
        let formatter = AlertFormatter(colour: !json && Terminal.standardOutput.wantsColour)
        let cutoff = since.flatMap(Quantity.duration).map { Date().addingTimeInterval(-$0) }
        if !follow && !FileManager.default.fileExists(atPath: path) {
            Terminal.standardError.write("tail: \(path): no such file (no alerts yet?)\n")
            throw ExitCode.failure
        }
        var shown = select(reader.readLines(), cutoff: cutoff)
        if follow && cutoff == nil { shown = Array(shown.suffix(lines)) }
        emit(shown, formatter)
        guard follow else { return }
        while !Task.isCancelled {
            try await Task.sleep(for: .milliseconds(250))
            emit(select(reader.readLines(), cutoff: cutoff), formatter)
        }
    }

    private func select(_ raw: [Data], cutoff: Date?) -> [(Data, Alert?)] {
        let decoder = JSONDecoder()
        return raw.compactMap { line in
            guard let alert = try? decoder.decode(Alert.self, from: line) else {
                // A torn or foreign line: show it raw rather than hide it.
                return topic == nil && cutoff == nil ? (line, nil) : nil
            }
            if let topic, alert.topic != topic { return nil }
            if let cutoff, alert.alerted < cutoff { return nil }
            return (line, alert)
        }
    }

    private func emit(_ items: [(Data, Alert?)], _ formatter: AlertFormatter) {
        guard !items.isEmpty else { return }
        var out = ""
        for (line, alert) in items {
            if json || alert == nil {
                out += String(decoding: line, as: UTF8.self) + "\n"
            } else if let alert {
                out += formatter.format(alert) + "\n"
            }
        }
        Terminal.standardOutput.write(out)
    }

    private func logPath() throws -> String {
        if let file { return file }
        if let config {
            let c = try Config.load(path: config, secrets: false)
            for case .file(let f) in c.sinks { return f.path }
            throw ValidationError("\(config) has no file sink; pass --file")
        }
        let dir = ProcessInfo.processInfo.environment["LOGS_DIRECTORY"] ?? "/var/log/feedwatch"
        return (dir as NSString).appendingPathComponent("alerts.jsonl")
    }
}

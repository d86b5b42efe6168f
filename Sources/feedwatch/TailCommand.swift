import ArgumentParser
import FeedwatchConfig
import FeedwatchAlert
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

    @Option(name: .long, help: "The alert log (default: the first file sink of --config, else <log dir>/alerts.jsonl).")
    var file: String?

    @Option(name: .long, help: "Take the alert log from this config's first file sink, resolved as `run` does.")
    var config: String?

    @Option(name: .long, help: """
        Base directory for relative file sink paths, as given to `run --log-dir` \
        (default: $LOGS_DIRECTORY when set, as under systemd).
        """)
    var logDir: String?

    @Option(name: .long, help: "Show only the last N matching alerts (with --follow and no --since: 10 by default).")
    var lines: Int?

    func validate() throws {
        if let since, Quantity.duration(since) == nil {
            throw ValidationError("--since must be a duration such as 30m, 6h or 2d")
        }
        if let lines, lines < 0 { throw ValidationError("--lines must be 0 or more") }
    }

    /// `--log-dir`, else systemd's `$LOGS_DIRECTORY` (what the unit passes to `run --log-dir`).
    var effectiveLogDir: String? {
        if let logDir { return logDir }
        guard let env = ProcessInfo.processInfo.environment["LOGS_DIRECTORY"], !env.isEmpty else { return nil }
        // systemd lists several directories separated by colons when LogsDirectory= names several.
        return env.split(separator: ":").first.map(String.init)
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
        var topicsSeen = Set<String>()
        var shownAlerts = Set<String>()
        var shown = Self.grouped(select(reader.readLines(), cutoff: cutoff, topicsSeen: &topicsSeen))
        if let n = lines ?? (follow && cutoff == nil ? 10 : nil) { shown = Array(shown.suffix(n)) }
        emit(shown, formatter, shownAlerts: &shownAlerts)
        // Checked once, on what the log holds now: with --follow the topic may still turn up.
        if let topic, !topicsSeen.contains(topic) { noteUnknownTopic(topic, seen: topicsSeen) }
        guard follow else { return }
        while !Task.isCancelled {
            try await Task.sleep(for: .milliseconds(250))
            emit(Self.grouped(select(reader.readLines(), cutoff: cutoff, topicsSeen: &topicsSeen)), formatter,
                 shownAlerts: &shownAlerts)
        }
    }

    /// One line on stderr: nothing in the log has this topic (a typo?), and which topics it has.
    private func noteUnknownTopic(_ topic: String, seen: Set<String>) {
        let list = seen.isEmpty ? "none yet" : seen.sorted().joined(separator: ", ")
        Terminal.standardError.write("tail: no alerts for topic '\(topic)' in the log; topics seen: \(list)\n")
    }

    private func select(_ raw: [Data], cutoff: Date?, topicsSeen: inout Set<String>) -> [(Data, Alert?)] {
        let decoder = JSONDecoder()
        return raw.compactMap { line in
            guard let alert = try? decoder.decode(Alert.self, from: line) else {
                // A torn or foreign line: show it raw rather than hide it.
                return topic == nil && cutoff == nil ? (line, nil) : nil
            }
            topicsSeen.insert(alert.topic)
            if let topic, alert.topic != topic { return nil }
            if let cutoff, (alert.updated ?? alert.alerted) < cutoff { return nil }
            return (line, alert)
        }
    }

    /// Each update moved right under its alert (after the alert's earlier updates), when the alert is
    /// among `items`; an update whose alert is not stays where it is. The log itself is in arrival order.
    static func grouped(_ items: [(Data, Alert?)]) -> [(Data, Alert?)] {
        var alertAt: [String: Int] = [:]
        for (i, item) in items.enumerated() {
            if let a = item.1, a.kind == .alert { alertAt[a.id] = alertAt[a.id] ?? i }
        }
        var under: [Int: [(Data, Alert?)]] = [:]
        var rest: [(Int, (Data, Alert?))] = []
        for (i, item) in items.enumerated() {
            if let a = item.1, a.kind == .update, let at = alertAt[a.id], at < i {
                under[at, default: []].append(item)
            } else {
                rest.append((i, item))
            }
        }
        guard !under.isEmpty else { return items }
        return rest.flatMap { [$0.1] + (under[$0.0] ?? []) }
    }

    private func emit(_ items: [(Data, Alert?)], _ formatter: AlertFormatter, shownAlerts: inout Set<String>) {
        guard !items.isEmpty else { return }
        var out = ""
        for (line, alert) in items {
            if json || alert == nil {
                out += String(decoding: line, as: UTF8.self) + "\n"
            } else if let alert {
                out += formatter.format(alert, underAlert: alert.kind == .update && shownAlerts.contains(alert.id)) + "\n"
                if alert.kind == .alert { shownAlerts.insert(alert.id) }
            }
        }
        Terminal.standardOutput.write(out)
    }

    /// The file `run` writes: with --config, its first file sink resolved exactly as the
    /// daemon does (`Config.load` against the config's folder, then `overriding(logDir:)`
    /// re-bases a relative path on the log directory).
    private func logPath() throws -> String {
        if let file { return file }
        let logDir = effectiveLogDir
        if let config {
            let c = try Config.load(path: config, secrets: false).overriding(stateDir: nil, logDir: logDir)
            for case .file(let f) in c.sinks { return f.path }
            throw ValidationError("\(config) has no file sink; pass --file")
        }
        return ((logDir ?? "/var/log/feedwatch") as NSString).appendingPathComponent("alerts.jsonl")
    }
}

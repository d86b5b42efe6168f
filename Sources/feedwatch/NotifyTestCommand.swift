import ArgumentParser
import FeedwatchConfig
import FeedwatchDaemon
import Foundation
import Logging

/// `feedwatch notify-test --config FILE [--sink NAME]`: a sample alert to each sink, one line each.
struct NotifyTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify-test",
        abstract: "Send a sample alert to every sink (or one) through the outbox and retries; one line per sink.",
        discussion: "Exits 0 when every sink delivered it, 1 otherwise. The daemon's state database is not touched."
    )

    @Option(name: .long, help: "The config file.")
    var config: String

    @Option(name: .long, help: "Only this sink (its configured name).")
    var sink: String?

    @Option(name: .long, help: "Seconds to keep retrying a sink that fails temporarily.")
    var timeout: Double = 60

    func run() async throws {
        let loaded: Config
        do { loaded = try Config.load(path: config) } catch let e as ConfigError {
            for d in e.diagnostics { Terminal.standardError.write(d.description + "\n") }
            throw ExitCode.failure
        }
        let logger = Logger(label: "feedwatch.notify-test", factory: { _ in SwiftLogNoOpLogHandler() })
        let results: [NotifyTest.Result]
        do {
            results = try await NotifyTest.run(config: loaded, only: sink, timeout: max(timeout, 1), logger: logger)
        } catch let e as NotifyTestError {
            Terminal.standardError.write(e.description + "\n")
            throw ExitCode.failure
        }
        for r in results { print(r.line) }
        if results.contains(where: { $0.outcome != "delivered" }) { throw ExitCode.failure }
    }
}

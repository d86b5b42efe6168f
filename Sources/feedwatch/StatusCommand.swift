import ArgumentParser
import FeedwatchConfig
import FeedwatchModel
import FeedwatchPostgres
import FeedwatchStore
import Foundation

/// `feedwatch status`: sources' health, counters, outbox depth and the last
/// alerts, read from the state database over a read-only connection (safe
/// while the daemon runs: WAL readers never block the writer); on a shared
/// PostgreSQL store, also every instance's heartbeat and the sources it holds.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show sources' health, counters, outbox depth and the last alerts from the state database."
    )

    @Option(name: .long, help: "Read the state directory (and source names) from this config.")
    var config: String?

    @Option(name: .long, help: "The state directory (instead of --config, or overriding its state_dir).")
    var stateDir: String?

    @Flag(name: .long, help: "Print one JSON object instead.")
    var json = false

    @Option(name: .long, help: "How many recent alerts to show.")
    var alerts: Int = 10

    @Flag(name: .long, help: "List every source; by default, beyond 30 sources only those that need attention are listed.")
    var allSources = false

    func validate() throws {
        if config == nil && stateDir == nil { throw ValidationError("give --config FILE or --state-dir DIR") }
    }

    func run() async throws {
        var loaded: Config?
        if let config {
            do { loaded = try Config.load(path: config, secrets: false) } catch {
                Terminal.standardError.write("\(error)\n")
                throw ExitCode.failure
            }
        }
        let dir = stateDir ?? loaded?.stateDir ?? "."
        let store: any Store
        do {
            // --state-dir names a SQLite state directory, whatever the config's store says.
            if stateDir == nil, case .postgresql(let pg)? = loaded?.store {
                store = try PostgresStore(url: pg.url, password: try pg.resolvedPassword(), migrate: false)
            } else {
                store = try StateStore(readOnlyPath: (dir as NSString).appendingPathComponent(StateStore.fileName))
            }
        } catch {
            Terminal.standardError.write("status: \(error)\n")
            throw ExitCode.failure
        }
        let report = try StatusReport.read(store: store, config: loaded, alerts: alerts, now: Date())
        if json {
            let enc = JSONEncoder()
            enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            Terminal.standardOutput.write(String(decoding: try enc.encode(report), as: UTF8.self) + "\n")
        } else {
            Terminal.standardOutput.write(report.text(colour: Terminal.standardOutput.wantsColour, allSources: allSources))
        }
    }
}

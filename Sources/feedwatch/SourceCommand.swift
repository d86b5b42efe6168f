import ArgumentParser
import FeedwatchConfig
import FeedwatchDaemon
import Foundation

/// `feedwatch source release NAME`: lets a quarantined source's content be processed again.
struct SourceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "source",
        abstract: "Manage sources' quarantine.",
        subcommands: [Release.self]
    )

    struct Release: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "release",
            abstract: "Forget the crashes counted against a source, so its content is processed again.",
            discussion: "A source whose content crashed feedwatch twice is quarantined until that content changes; "
                + "run this once the cause is fixed. A running daemon reads the quarantine at its next start."
        )

        @Argument(help: "The source's name, as in the config.")
        var name: String

        @Option(name: .long, help: "The config file.")
        var config: String

        func run() async throws {
            let loaded: Config
            do { loaded = try Config.load(path: config, secrets: false) } catch {
                Terminal.standardError.write("\(error)\n")
                throw ExitCode.failure
            }
            guard let source = loaded.sources.first(where: { $0.name == name }) else {
                Terminal.standardError.write("source release: no source named \"\(name)\" in \(config)\n")
                throw ExitCode.failure
            }
            if PoisonLedger.release(stateDir: loaded.stateDir, key: source.url) {
                print("released \(name): its content will be processed again")
            } else {
                print("\(name) had no crashes counted against it")
            }
        }
    }
}

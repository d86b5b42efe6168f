import ArgumentParser
import FeedwatchConfig
import FeedwatchStore
import Foundation

/// `feedwatch source release NAME`: lifts a source's quarantine (see `PollService+Quarantine`).
struct SourceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "source",
        abstract: "Manage one source's state.",
        subcommands: [Release.self]
    )

    struct Release: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "release",
            abstract: "Lift a source's quarantine: its content is parsed again at its next poll (a running daemon picks it up then)."
        )

        @Argument(help: "The source's name as configured, or its URL.")
        var name: String

        @Option(name: .long, help: "The config naming the source and the state directory.")
        var config: String

        @Option(name: .long, help: "The state directory (overriding the config's state_dir).")
        var stateDir: String?

        func run() async throws {
            let loaded: Config
            do { loaded = try Config.load(path: config, secrets: false) } catch {
                Terminal.standardError.write("\(error)\n")
                throw ExitCode.failure
            }
            guard let source = loaded.sources.first(where: { $0.name == name || $0.url == name }) else {
                let names = loaded.sources.map(\.name).joined(separator: ", ")
                Terminal.standardError.write("source release: \(config): no source named '\(name)' (known: \(names))\n")
                throw ExitCode.failure
            }
            let dir = stateDir ?? loaded.stateDir
            do {
                let store = try StateStore(directory: dir)
                let state = try store.sourceState(url: source.url)
                guard let state, state.isQuarantined || state.strikes > 0 else {
                    Terminal.standardOutput.write("source \(source.name) is not quarantined; nothing to do\n")
                    return
                }
                _ = try store.releaseQuarantine(url: source.url)
                Terminal.standardOutput.write("source \(source.name) released: parsed again at its next poll\n")
            } catch {
                Terminal.standardError.write("source release: \(dir): \(error)\n")
                throw ExitCode.failure
            }
        }
    }
}

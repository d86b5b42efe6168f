import ArgumentParser
import FeedwatchClassify
import FeedwatchConfig
import FeedwatchDaemon
import Foundation

/// `feedwatch check --config FILE`: validates the config and its watchlist,
/// printing every problem as `file:line:column: message`.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate the config file, its watchlist and its sinks' templates; print every problem as file:line:column: message.",
        discussion: "Exits 0 with a short summary when both files are valid, 1 otherwise (problems on stderr)."
    )

    @Option(name: .long, help: "The config file.")
    var config: String

    func run() async throws {
        var problems: [String] = []
        var loaded: Config?
        var watchlistPath: String?
        do {
            let c = try Config.load(path: config)
            loaded = c
            watchlistPath = c.watchlist
        } catch let e as ConfigError {
            problems += e.diagnostics.map(\.description)
            watchlistPath = e.watchlist
        }
        var watchlist: Watchlist?
        if let watchlistPath {
            do {
                watchlist = try Watchlist.load(path: Self.display(watchlistPath))
            } catch let e as WatchlistError {
                problems += e.diagnostics.map(\.description)
            }
        }
        // Each sink's templates, rendered against sample alerts.
        if let loaded { problems += SinkTemplateLoader.problems(loaded).map(Self.display) }
        guard problems.isEmpty, let loaded, let watchlist else {
            for p in problems { Terminal.standardError.write(p + "\n") }
            Terminal.standardError.write("check: \(problems.count) problem\(problems.count == 1 ? "" : "s") found\n")
            throw ExitCode.failure
        }
        let files = loaded.sinks.count
        print("OK \(config): \(loaded.sources.count) source\(loaded.sources.count == 1 ? "" : "s"), "
              + "\(files) sink\(files == 1 ? "" : "s") (\(loaded.sinks.map(\.name).joined(separator: ", "))), "
              + "state in \(loaded.stateDir)"
              + { n in n == 0 ? "" : ", \(n) template\(n == 1 ? "" : "s") rendered" }(SinkTemplateLoader.count(loaded)))
        print("OK \(Self.display(loaded.watchlist)): \(watchlist.topics.count) topic\(watchlist.topics.count == 1 ? "" : "s") "
              + "(\(watchlist.topics.map(\.name).joined(separator: ", "))), \(watchlist.compiledSize) terms compiled")
    }

    /// A path relative to the working directory when it is below it: shorter messages, still clickable.
    static func display(_ path: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath + "/"
        return path.hasPrefix(cwd) ? String(path.dropFirst(cwd.count)) : path
    }
}

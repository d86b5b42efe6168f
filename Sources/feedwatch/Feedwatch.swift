import ArgumentParser
import FeedwatchModel

@main
struct Feedwatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedwatch",
        abstract: "Watch news feeds and raise alerts on the stories that matter.",
        version: FeedwatchVersion.string,
        subcommands: [
            RunCommand.self, CheckCommand.self, StatusCommand.self, TailCommand.self,
            ParseCommand.self, DedupCommand.self, ClassifyCommand.self, ImportOPMLCommand.self,
        ]
    )
}

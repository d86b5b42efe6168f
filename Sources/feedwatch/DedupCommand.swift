import ArgumentParser

// Placeholder: replaced by the stage that owns `feedwatch dedup`.
struct DedupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dedup", abstract: "(not yet built)")
    func run() async throws { throw ExitCode.failure }
}

import ArgumentParser

// Placeholder: replaced by the stage that owns `feedwatch status`.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "(not yet built)")
    func run() async throws { throw ExitCode.failure }
}

import ArgumentParser

// Placeholder: replaced by the stage that owns `feedwatch check`.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "(not yet built)")
    func run() async throws { throw ExitCode.failure }
}

import ArgumentParser

// Placeholder: replaced by the stage that owns `feedwatch parse`.
struct ParseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "parse", abstract: "(not yet built)")
    func run() async throws { throw ExitCode.failure }
}

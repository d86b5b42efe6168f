import ArgumentParser

// Placeholder: replaced by the stage that owns `feedwatch run`.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "(not yet built)")
    func run() async throws { throw ExitCode.failure }
}

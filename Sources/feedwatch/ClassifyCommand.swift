import ArgumentParser

// Placeholder: replaced by the stage that owns `feedwatch classify`.
struct ClassifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "classify", abstract: "(not yet built)")
    func run() async throws { throw ExitCode.failure }
}

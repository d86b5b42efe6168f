import ArgumentParser

// Placeholder: replaced by the stage that owns `feedwatch tail`.
struct TailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tail", abstract: "(not yet built)")
    func run() async throws { throw ExitCode.failure }
}

import ArgumentParser

// Placeholder: replaced by the stage that owns this benchmark.
struct ParseBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "parse")
    func run() async throws { throw ExitCode.failure }
}

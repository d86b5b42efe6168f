import ArgumentParser

// Placeholder: replaced by the stage that owns this benchmark.
struct ClassifyBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "classify")
    func run() async throws { throw ExitCode.failure }
}

import ArgumentParser

// Placeholder: replaced by the stage that owns this benchmark.
struct FetchBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fetch")
    func run() async throws { throw ExitCode.failure }
}

import ArgumentParser

// Placeholder: replaced by the stage that owns this benchmark.
struct DedupBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dedup")
    func run() async throws { throw ExitCode.failure }
}

import ArgumentParser

/// `swift run -c release feedwatch-bench <stage>`: prints figures, never asserts timings.
@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedwatch-bench",
        abstract: "Benchmarks that print throughput, CPU seconds and peak memory.",
        subcommands: [ParseBench.self, FetchBench.self, DedupBench.self, ClassifyBench.self, PrepareBench.self, FarmDedupBench.self,
                      ExtractBench.self]
    )
}

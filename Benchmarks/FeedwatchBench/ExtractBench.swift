import ArgumentParser
import FeedwatchExtract
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `feedwatch-bench extract [--pages DIR]`: extracts every page of the extraction benchmark
/// in-process (gunzip, parse, select, metadata) and prints pages/s and CPU per page. The pages
/// are read at run time from the shared benchmark; none is copied into the project.
struct ExtractBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Article-extraction throughput over a directory of .html / .html.gz pages.")

    @Option(help: "Directory of pages (.html or .html.gz).")
    var pages = "/work/shared/extract-bench/html"

    @Option(help: "Timed passes over all pages (after one warm-up pass).")
    var passes = 3

    func run() async throws {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: pages))?
            .filter { $0.hasSuffix(".html") || $0.hasSuffix(".html.gz") }.sorted() ?? []
        guard !names.isEmpty else { throw ValidationError("no .html or .html.gz pages in \(pages)") }
        let inputs: [(String, [UInt8])] = names.compactMap { name in
            FileManager.default.contents(atPath: pages + "/" + name).map { (name, [UInt8]($0)) }
        }
        var failures = 0
        for (_, bytes) in inputs where (try? ArticleExtractor.extract(bytes)) == nil { failures += 1 }   // warm-up
        var perPage = [Double](repeating: .infinity, count: inputs.count)
        var total = 0.0
        for _ in 0..<max(1, passes) {
            for (k, (_, bytes)) in inputs.enumerated() {
                let c0 = Self.cpuSeconds()
                _ = try? ArticleExtractor.extract(bytes)
                let spent = Self.cpuSeconds() - c0
                perPage[k] = min(perPage[k], spent)
                total += spent
            }
        }
        let sorted = perPage.sorted()
        let pagesPerSecond = Double(inputs.count * max(1, passes)) / max(total, 1e-9)
        print(String(format: "extract: %d pages, %.0f pages/s, CPU per page mean %.2f ms, p95 %.2f ms, max %.2f ms (%@); %d without article",
                     inputs.count, pagesPerSecond, total / Double(inputs.count * max(1, passes)) * 1000,
                     sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.95))] * 1000, sorted.last! * 1000,
                     String(inputs[perPage.firstIndex(of: sorted.last!)!].0.prefix(16)), failures))
    }

    static func cpuSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}

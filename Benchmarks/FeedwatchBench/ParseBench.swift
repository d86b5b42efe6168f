import ArgumentParser
import FeedwatchParse
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `feedwatch-bench parse [--file big.rss]`: parses a large feed in-process (the
/// work `feedwatch parse` does: decode, parse, sanitize, write JSON) and prints
/// MB/s, entries/s, CPU seconds and peak RSS; then times `sfeed` on the same file
/// and, with `--feedwatch`, the CLI itself, each as a child process (CPU via wait4).
struct ParseBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Parse throughput on a large feed (make one with: gen-farm generate /tmp/farm --big-items 5000).")

    @Option(help: "The feed to parse.")
    var file = "/tmp/farm/big.rss"

    @Option(help: "Timed in-process iterations (after one warm-up).")
    var iterations = 5

    @Option(help: "Path of a feedwatch binary to time as `feedwatch parse FILE > /dev/null`.")
    var feedwatch: String?

    @Flag(help: "Skip the sfeed comparison.")
    var noSfeed = false

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ValidationError("cannot read \(file); generate it with: /work/shared/tools/gen-farm generate /tmp/farm --feeds 10 --big-items 5000")
        }
        let mb = Double(data.count) / 1_000_000
        print(String(format: "file %@: %.2f MB", file, mb))

        // Children first, while this process is small: a spawned child starts
        // with its parent's peak RSS on Linux, which would blur the comparison.
        var lines: [String] = []
        if !noSfeed, let sfeed = which("sfeed"), let r = timeChild(sfeed, args: [], stdinPath: file) {
            lines.append(String(format: "sfeed < file > /dev/null: %.3f s wall, %.3f s CPU, %.0f MB/s, peak RSS %.1f MB",
                                r.wall, r.cpu, mb / max(r.cpu, 1e-6), r.maxRSSMB))
        }
        if let fw = feedwatch, let r = timeChild(fw, args: ["parse", file], stdinPath: nil) {
            lines.append(String(format: "feedwatch parse file > /dev/null: %.3f s wall, %.3f s CPU, %.0f MB/s, peak RSS %.1f MB",
                                r.wall, r.cpu, mb / max(r.cpu, 1e-6), r.maxRSSMB))
        }

        var entries = 0
        var outputBytes = 0
        _ = try runOnce(data, entries: &entries, outputBytes: &outputBytes)   // warm-up
        var cpu: [Double] = []
        var wall: [Double] = []
        var parseOnlyCPU: [Double] = []
        for _ in 0..<max(1, iterations) {
            let c0 = cpuSeconds(), w0 = monotonic()
            let parsed = try FeedParser.parse(data)
            let c1 = cpuSeconds()
            outputBytes = FeedJSON.encode(parsed.feed).count
            let c2 = cpuSeconds(), w2 = monotonic()
            entries = parsed.feed.entries.count
            parseOnlyCPU.append(c1 - c0)
            cpu.append(c2 - c0)
            wall.append(w2 - w0)
        }
        let best = cpu.min()!, median = cpu.sorted()[cpu.count / 2]
        print(String(format: "in-process parse+JSON: best %.3f s CPU, median %.3f s CPU, best wall %.3f s",
                     best, median, wall.min()!))
        print(String(format: "  %.0f MB/s, %.0f entries/s (best CPU); parse alone %.3f s CPU; JSON %.2f MB; %d entries",
                     mb / best, Double(entries) / best, parseOnlyCPU.min()!, Double(outputBytes) / 1_000_000, entries))
        print(String(format: "  peak RSS %.1f MB (whole bench process)", peakRSSMB()))

        lines.forEach { print($0) }
    }

    private func runOnce(_ data: Data, entries: inout Int, outputBytes: inout Int) throws -> Double {
        let c0 = cpuSeconds()
        let parsed = try FeedParser.parse(data)
        outputBytes = FeedJSON.encode(parsed.feed).count
        entries = parsed.feed.entries.count
        return cpuSeconds() - c0
    }

    private func cpuSeconds() -> Double {
        var u = rusage()
        getrusage(RUSAGE_SELF.rawValue, &u)
        return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6
            + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) / 1e6
    }

    private func peakRSSMB() -> Double {
        var u = rusage()
        getrusage(RUSAGE_SELF.rawValue, &u)
        return Double(u.ru_maxrss) / 1024
    }

    private func monotonic() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    private func which(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let p = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    /// Runs a child with stdout to /dev/null (and stdin from a file); best of three by CPU.
    private func timeChild(_ path: String, args: [String], stdinPath: String?) -> (wall: Double, cpu: Double, maxRSSMB: Double)? {
        var best: (wall: Double, cpu: Double, maxRSSMB: Double)?
        for _ in 0..<3 {
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            if let stdinPath { posix_spawn_file_actions_addopen(&actions, 0, stdinPath, O_RDONLY, 0) }
            let argv: [UnsafeMutablePointer<CChar>?] = ([path] + args).map { strdup($0) } + [nil]
            defer { argv.forEach { free($0) } }
            var pid: pid_t = 0
            let w0 = monotonic()
            guard posix_spawn(&pid, path, &actions, nil, argv, environ) == 0 else { return nil }
            var status: Int32 = 0
            var usage = rusage()
            guard wait4(pid, &status, 0, &usage) == pid else { return nil }
            let wall = monotonic() - w0
            let cpu = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
                + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
            let r = (wall: wall, cpu: cpu, maxRSSMB: Double(usage.ru_maxrss) / 1024)
            if best == nil || r.cpu < best!.cpu { best = r }
        }
        return best
    }
}

import ArgumentParser
import FeedwatchHTTP
import FeedwatchParse
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `feedwatch-bench fetch`: fetches every feed of a loopback nginx farm cold,
/// then re-polls them with their validators (all 304), and prints throughput,
/// CPU seconds (getrusage) and peak RSS. Bodies are counted and dropped; with
/// `--parse` each cold body is parsed (as the daemon would) before it is dropped.
struct FetchBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Cold fetch and all-304 re-poll of a loopback feed farm (nginx).")

    @Option(help: "Feeds in the farm.") var feeds = 1_000
    @Option(help: "Farm directory; generated there when it has no urls.txt. Default: /tmp/feedwatch-farm-<feeds>.")
    var farm: String?
    @Option(help: "Port for the farm's nginx.") var port = 8089
    @Option(help: "Directory holding gen-farm and farm-server.") var tools = "../shared/tools"
    @Option(help: "Transfers in flight (total, and per host: the farm is one host).") var concurrency = 8
    @Option(help: "Re-poll passes after the cold one.") var warmPasses = 1
    @Flag(help: "Parse every body of the cold pass with FeedParser (fetch+parse).") var parse = false
    @Flag(help: "Use an nginx already serving the farm on --port; don't start or stop one.") var externalServer = false

    func validate() throws {
        guard feeds > 0, concurrency > 0, warmPasses >= 0 else {
            throw ValidationError("--feeds and --concurrency must be positive, --warm-passes not negative")
        }
    }

    func run() async throws {
        let farmDir = farm ?? NSTemporaryDirectory() + "feedwatch-farm-\(feeds)"
        let paths = try prepareFarm(farmDir)
        var startedServer = false
        if !externalServer {
            try Self.runTool(tools + "/farm-server", ["start", farmDir, String(port)])
            startedServer = true
        }
        defer { if startedServer { try? Self.runTool(tools + "/farm-server", ["stop", farmDir]) } }

        let base = "http://127.0.0.1:\(port)/"
        let urls = paths.map { base + $0 }
        print("fetch: \(urls.count) feeds from \(base) (farm \(farmDir)), \(concurrency) in flight")
        let transport = CurlTransport(maxConcurrent: concurrency, maxPerHost: concurrency)
        let (cold, validators) = await Self.pass(urls, validators: nil, transport: transport, window: 2 * concurrency, parse: parse)
        cold.print(label: parse ? "cold+parse" : "cold")
        for i in 0..<warmPasses {
            let (warm, _) = await Self.pass(urls, validators: validators, transport: transport, window: 2 * concurrency, parse: false)
            warm.print(label: warmPasses == 1 ? "warm" : "warm\(i + 1)")
        }
        await transport.shutdown()
        Swift.print(String(format: "peak RSS %.1f MB", Usage.now().peakRSSMB))
    }

    /// Reads urls.txt, generating the farm first if needed.
    private func prepareFarm(_ dir: String) throws -> [String] {
        let list = dir + "/urls.txt"
        if !FileManager.default.fileExists(atPath: list) {
            print("generating a farm of \(feeds) feeds in \(dir)…")
            try Self.runTool(tools + "/gen-farm", ["generate", dir, "--feeds", String(feeds)])
        }
        let lines = try String(contentsOfFile: list, encoding: .utf8).split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            .map { $0.hasPrefix("/") ? String($0.dropFirst()) : $0 }
        guard lines.count >= feeds else {
            throw Failure("\(list) lists \(lines.count) feeds, fewer than --feeds \(feeds)")
        }
        return Array(lines.prefix(feeds))
    }

    /// Runs a helper script to completion with posix_spawn + waitpid (Foundation's
    /// `Process.waitUntilExit` was seen to hang under the async main on Linux).
    /// SIGPIPE goes back to its default in the child: nginx must not inherit our SIG_IGN.
    private static func runTool(_ path: String, _ arguments: [String]) throws {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw Failure("\(path) not found or not executable (see --tools)")
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, 2, 1)          // tool chatter goes to stderr
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        guard spawned == 0 else { throw Failure("\(path): spawn failed: \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = status & 0x7f == 0
        guard exited && (status >> 8) & 0xff == 0 else {
            throw Failure("\(path) \(arguments.joined(separator: " ")) failed (wait status \(status))")
        }
    }

    /// A set-up failure: printed as one line, without the usage text.
    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = "fetch bench: " + description }
    }

    // MARK: One pass

    struct PassResult {
        var feeds = 0, ok = 0, notModified = 0, otherStatus = 0, errors = 0
        var wireBytes = 0, bodyBytes = 0, connections = 0
        var parsed = 0, entries = 0, damaged = 0, parseErrors = 0
        var wall = 0.0, cpu = 0.0
        var firstError: String?

        func print(label: String) {
            Swift.print(String(format: "%@ %d feeds  %.3f s wall  %.3f s CPU  %.0f feeds/s  200=%d 304=%d other=%d errors=%d  wire %.2f MB  decoded %.2f MB  %d new connections",
                               label, feeds, wall, cpu, Double(feeds) / max(wall, 1e-9), ok, notModified,
                               otherStatus, errors, Double(wireBytes) / 1e6, Double(bodyBytes) / 1e6, connections))
            if parsed + parseErrors > 0 {
                Swift.print("  parsed \(parsed) feeds, \(entries) entries, \(damaged) damaged, \(parseErrors) not parsed")
            }
            if let firstError { Swift.print("  first error: \(firstError)") }
        }
    }

    /// What one fetch leaves behind: the body is already dropped.
    struct Outcome: Sendable {
        var status: Int?
        var wireBytes = 0, bodyBytes = 0, connections = 0
        var validators = Validators()
        var error: String?
        /// nil: not parsed; else the entry count (-1 when the parser refused the body).
        var entries: Int?
        var damaged = false
    }

    static func pass(_ urls: [String], validators: [Validators]?, transport: CurlTransport, window: Int, parse: Bool)
        async -> (PassResult, [Validators]) {
        let before = Usage.now()
        let clock = ContinuousClock()
        let start = clock.now
        var result = PassResult(feeds: urls.count)
        var newValidators = [Validators](repeating: Validators(), count: urls.count)
        // A sliding window of tasks, as a poller would run: wider than the transport's
        // so curl always has work queued while bodies wait for a parse thread, yet
        // only a bounded number of bodies is ever held at once (memory stays flat).
        let window = min(urls.count, max(1, window))
        await withTaskGroup(of: (Int, Outcome).self) { group in
            var next = 0
            func submit(_ i: Int) {
                let request = HTTPRequest(url: urls[i], validators: validators?[i] ?? Validators())
                group.addTask { (i, await fetchOne(request, transport: transport, parse: parse)) }
            }
            while next < window { submit(next); next += 1 }
            while let (i, outcome) = await group.next() {
                if next < urls.count { submit(next); next += 1 }
                switch outcome.status {
                case 200: result.ok += 1
                case 304: result.notModified += 1
                case .some: result.otherStatus += 1
                case nil:
                    result.errors += 1
                    if result.firstError == nil { result.firstError = outcome.error }
                }
                result.wireBytes += outcome.wireBytes
                result.bodyBytes += outcome.bodyBytes
                result.connections += outcome.connections
                if let entries = outcome.entries {
                    if entries < 0 { result.parseErrors += 1 } else { result.parsed += 1; result.entries += entries }
                    if outcome.damaged { result.damaged += 1 }
                }
                newValidators[i] = outcome.status == 304 ? (validators?[i] ?? Validators()) : outcome.validators
            }
        }
        let elapsed = start.duration(to: clock.now)
        result.wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        result.cpu = Usage.now().cpuSeconds - before.cpuSeconds
        return (result, newValidators)
    }

    /// One fetch (and parse, for a 200 when asked); the body is gone when this returns.
    static func fetchOne(_ request: HTTPRequest, transport: CurlTransport, parse: Bool) async -> Outcome {
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch {
            return Outcome(error: "\(error)")
        }
        var outcome = Outcome(status: response.status, wireBytes: response.wireBytes, bodyBytes: response.body.count,
                              connections: response.newConnections, validators: response.headers.validators)
        if parse, response.status == 200 {
            do {
                let parsed = try FeedParser.parse(response.body, baseURL: response.finalURL,
                                                  charset: response.headers.charset)
                outcome.entries = parsed.feed.entries.count
                outcome.damaged = parsed.damage != nil
            } catch {
                outcome.entries = -1
            }
        }
        return outcome
    }

    /// getrusage(RUSAGE_SELF): user+system CPU and peak resident set.
    struct Usage {
        var cpuSeconds: Double
        var peakRSSMB: Double

        static func now() -> Usage {
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
                + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
            return Usage(cpuSeconds: cpu, peakRSSMB: Double(usage.ru_maxrss) / 1024)   // ru_maxrss is KiB on Linux
        }
    }
}

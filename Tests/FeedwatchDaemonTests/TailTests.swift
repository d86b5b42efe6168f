import FeedwatchAlert
import FeedwatchModel
import Foundation
import Testing

@Suite struct TailTests {
    func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "fw-tail-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    func append(_ path: String, _ text: String) throws {
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        let h = try #require(FileHandle(forWritingAtPath: path))
        h.seekToEndOfFile()
        h.write(Data(text.utf8))
        try h.close()
    }

    func strings(_ lines: [Data]) -> [String] { lines.map { String(decoding: $0, as: UTF8.self) } }

    @Test func readsCompleteLinesAndHoldsAPartialOne() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/alerts.jsonl"
        let reader = AlertLogReader(path: path)
        #expect(reader.readLines().isEmpty)          // not created yet: fine when following
        try append(path, "one\ntwo\nthr")
        #expect(strings(reader.readLines()) == ["one", "two"])
        try append(path, "ee\n")
        #expect(strings(reader.readLines()) == ["three"])
        #expect(reader.readLines().isEmpty)
    }

    @Test func followsARenameAndRecreateWithoutLosingLines() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/alerts.jsonl"
        let reader = AlertLogReader(path: path)
        try append(path, "a\n")
        #expect(strings(reader.readLines()) == ["a"])
        try append(path, "b\n")                        // written just before logrotate renames
        try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
        #expect(strings(reader.readLines()) == ["b"])  // renamed away, not yet recreated
        try append(path + ".1", "c\n")                 // the daemon still writes the old file until SIGUSR1
        try append(path, "d\n")                        // reopened: the new file
        #expect(strings(reader.readLines()) == ["c", "d"])
    }

    @Test func restartsAfterCopyTruncate() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/alerts.jsonl"
        let reader = AlertLogReader(path: path)
        try append(path, "first line\nsecond line\n")
        #expect(reader.readLines().count == 2)
        try Data().write(to: URL(fileURLWithPath: path))   // truncate in place
        try append(path, "x\n")
        #expect(strings(reader.readLines()) == ["x"])
    }

    @Test func seekToEndSkipsHistory() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/alerts.jsonl"
        try append(path, "old\n")
        let reader = AlertLogReader(path: path)
        reader.seekToEnd()
        try append(path, "new\n")
        #expect(strings(reader.readLines()) == ["new"])
    }

    static let alert = Alert(id: "a1", topic: "sahel-security", score: 7.5, matched: ["mopti", "attack*"], story: "s1",
                             title: "Mali: army camp attacked near Mopti", link: "https://example.org/a",
                             source: "RFI Afrique", outlets: ["RFI Afrique", "APA News"],
                             published: Date(timeIntervalSince1970: 1_795_939_200),
                             fetched: Date(timeIntervalSince1970: 1_795_939_800),
                             alerted: Date(timeIntervalSince1970: 1_795_939_801))

    @Test func plainOutputHasNoEscapesAndNamesEveryOutlet() {
        let text = AlertFormatter(colour: false).format(Self.alert)
        #expect(!text.contains("\u{1B}"))
        #expect(text.contains("sahel-security"))
        #expect(text.contains("Mali: army camp attacked near Mopti"))
        #expect(text.contains("RFI Afrique +1 (APA News)"))
        #expect(text.contains("alerted 10 min later"))
        #expect(text.contains("matched: mopti, attack*"))
    }

    @Test func lagReadsInTheUnitAPersonThinksIn() {
        #expect(AlertFormatter.duration(42) == "42 s")
        #expect(AlertFormatter.duration(59 * 60 + 59) == "59 min")
        #expect(AlertFormatter.duration(5 * 3600 + 1) == "5 h")
        #expect(AlertFormatter.duration(47 * 3600) == "47 h")
        #expect(AlertFormatter.duration(17_846 * 60) == "12 days")
        var late = Self.alert
        late.alerted = late.published!.addingTimeInterval(17_846 * 60)
        let text = AlertFormatter(colour: false).format(late)
        #expect(text.contains("(alerted 12 days later)"))
        #expect(!text.contains("min later"))
    }

    @Test func colourOutputUsesANSI() {
        #expect(AlertFormatter(colour: true).format(Self.alert).contains("\u{1B}[1;36msahel-security\u{1B}[0m"))
    }

    @Test func digestListsItsItems() {
        var d = Self.alert
        d.kind = .digest
        d.items = [Self.alert, Self.alert]
        let text = AlertFormatter(colour: false).format(d)
        #expect(text.contains("2 alerts held back by flood control"))
        #expect(text.components(separatedBy: "Mali: army camp").count == 3)
    }

    // MARK: - The command

    /// Two alert logs: the one beside the config (where `tail` used to look) and the
    /// one in the log directory (where `run --log-dir` writes).
    struct Layout {
        let dir: String
        var configPath: String { dir + "/etc/feedwatch.yaml" }
        var logDir: String { dir + "/log" }

        init(_ dir: String) throws {
            self.dir = dir
            try FileManager.default.createDirectory(atPath: dir + "/etc", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: dir + "/log", withIntermediateDirectories: true)
            try "topics:\n  sahel:\n    terms:\n      Mali: 1\n".write(toFile: dir + "/etc/watchlist.yaml", atomically: true,
                                                                     encoding: .utf8)
            try """
                watchlist: watchlist.yaml
                sources:
                  - {name: Wire, url: "https://example.org/feed"}
                sinks:
                  - {type: file, path: alerts.jsonl}

                """.write(toFile: configPath, atomically: true, encoding: .utf8)
        }

        func write(_ path: String, _ alerts: [Alert]) throws {
            let text = try alerts.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) + "\n" }.joined()
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
    }

    static func alert(_ id: String, topic: String = "sahel-security") -> Alert {
        var a = alert
        a.id = id
        a.topic = topic
        return a
    }

    func ids(_ out: String) -> [String] {
        out.split(separator: "\n").compactMap { try? JSONDecoder().decode(Alert.self, from: Data($0.utf8)).id }
    }

    @Test(.enabled(if: BuiltCLI.path != nil, "needs the built feedwatch binary"))
    func configResolvesTheSinkAgainstTheLogDirectoryAsRunDoes() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let l = try Layout(dir)
        try l.write(dir + "/etc/alerts.jsonl", [Self.alert("beside-config")])
        try l.write(l.logDir + "/alerts.jsonl", [Self.alert("in-log-dir")])
        // --log-dir, as the unit passes to `run`.
        let explicit = try BuiltCLI.run(["tail", "--json", "--config", l.configPath, "--log-dir", l.logDir],
                                        environment: ["LOGS_DIRECTORY": nil])
        #expect(explicit.status == 0, "\(explicit.stderr)")
        #expect(ids(explicit.stdout) == ["in-log-dir"])
        // $LOGS_DIRECTORY, as systemd sets it.
        let env = try BuiltCLI.run(["tail", "--json", "--config", l.configPath], environment: ["LOGS_DIRECTORY": l.logDir])
        #expect(ids(env.stdout) == ["in-log-dir"])
        // Neither: relative to the config's folder, as `run` without --log-dir.
        let plain = try BuiltCLI.run(["tail", "--json", "--config", l.configPath], environment: ["LOGS_DIRECTORY": nil])
        #expect(ids(plain.stdout) == ["beside-config"])
    }

    @Test(.enabled(if: BuiltCLI.path != nil, "needs the built feedwatch binary"))
    func linesLimitsTheOutputWithoutFollow() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let l = try Layout(dir)
        let path = dir + "/alerts.jsonl"
        try l.write(path, (0..<5).map { Self.alert("a\($0)") })
        let two = try BuiltCLI.run(["tail", "--json", "--file", path, "--lines", "2"])
        #expect(ids(two.stdout) == ["a3", "a4"])
        let all = try BuiltCLI.run(["tail", "--json", "--file", path])
        #expect(ids(all.stdout) == ["a0", "a1", "a2", "a3", "a4"])
    }

    @Test(.enabled(if: BuiltCLI.path != nil, "needs the built feedwatch binary"))
    func unknownTopicSaysWhichTopicsExist() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let l = try Layout(dir)
        let path = dir + "/alerts.jsonl"
        try l.write(path, [Self.alert("a", topic: "sahel"), Self.alert("b", topic: "niger"), Self.alert("c", topic: "sahel")])
        let typo = try BuiltCLI.run(["tail", "--json", "--file", path, "--topic", "sahl"])
        #expect(typo.status == 0)
        #expect(typo.stdout.isEmpty)
        let note = typo.stderr.split(separator: "\n")
        #expect(note.count == 1)
        #expect(note.first?.contains("'sahl'") == true && note.first?.contains("niger, sahel") == true)
        let known = try BuiltCLI.run(["tail", "--json", "--file", path, "--topic", "niger"])
        #expect(ids(known.stdout) == ["b"])
        #expect(known.stderr.isEmpty)
    }
}

/// The `feedwatch` binary built beside this test bundle (the same scratch path),
/// else the default build's.
enum BuiltCLI {
    static var path: String? {
        let here = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        for candidate in [here.appendingPathComponent("feedwatch").path, E2E.binary]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        return nil
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs the binary to completion (killed after `timeout`); `environment` entries set to nil are removed.
    static func run(_ args: [String], environment: [String: String?] = [:], timeout: TimeInterval = 20) throws -> Result {
        guard let path else { throw CocoaError(.fileNoSuchFile) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let group = DispatchGroup()
        nonisolated(unsafe) var o = Data(), e = Data()
        group.enter()
        DispatchQueue.global().async { o = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter()
        DispatchQueue.global().async { e = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        if group.wait(timeout: .now() + timeout) == .timedOut { p.terminate() }
        p.waitUntilExit()
        group.wait()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                      stderr: String(decoding: e, as: UTF8.self))
    }
}

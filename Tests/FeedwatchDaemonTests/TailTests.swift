import FeedwatchDaemon
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
}

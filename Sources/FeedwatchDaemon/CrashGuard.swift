import Foundation

/// Notes which sources' fetched content is being parsed, so that content which kills the
/// process (a stack overflow, an abort, an out-of-memory kill) can be named at the next start.
///
/// One small file per source under `<state>/parsing/`, created before the parse and removed
/// after it: creating and unlinking reach the kernel at once, which is all a process crash needs
/// (a power cut that loses a note costs one strike, no more). `PollService` reads what a dead
/// process left at start: a strike against each source named, quarantine from the second.
public struct CrashGuard: Sendable {
    let directory: String

    public init(stateDir: String) {
        directory = (stateDir as NSString).appendingPathComponent("parsing")
    }

    /// A source's content is about to be parsed; `digest` names that content (see `digest(of:)`).
    func begin(url: String, digest: String?) {
        let note = Data((url + "\n" + (digest ?? "")).utf8)
        if !FileManager.default.createFile(atPath: path(url), contents: note) {
            // The folder went away (first use, or removed by hand): make it and note again.
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: path(url), contents: note)
        }
    }

    /// The parse is over, whatever its outcome.
    func end(url: String) {
        unlink(path(url))
    }

    /// The notes a process that died mid-parse left, each removed as it is read.
    func leftovers() -> [(url: String, digest: String?)] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        var found: [(url: String, digest: String?)] = []
        for name in names.sorted() {
            let file = (directory as NSString).appendingPathComponent(name)
            defer { unlink(file) }
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            guard let url = lines.first, !url.isEmpty else { continue }
            let digest = lines.count > 1 && !lines[1].isEmpty ? String(lines[1]) : nil
            found.append((String(url), digest))
        }
        return found
    }

    private func path(_ url: String) -> String {
        (directory as NSString).appendingPathComponent(Self.hex(Self.fnv(Data(url.utf8))))
    }

    /// A digest of fetched content: the same body is recognised across restarts.
    static func digest(of body: Data) -> String { hex(fnv(body)) + "-" + String(body.count) }

    private static func fnv(_ data: Data) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in data { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }

    private static func hex(_ x: UInt64) -> String {
        let s = String(x, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}

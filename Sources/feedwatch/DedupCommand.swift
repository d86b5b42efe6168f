import ArgumentParser
import Foundation
import FeedwatchDedup
import FeedwatchModel

/// `feedwatch dedup`: JSON Lines stories in, one `{"id","duplicate_of","story"}` line out per story.
struct DedupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dedup",
        abstract: "Mark republished copies and group stories into events (JSON Lines on stdin and stdout).",
        discussion: """
        Each input line is a story {"id","title","summary","content","link","source","language"[,"published"]}, \
        in arrival order. Each output line is {"id": …, "duplicate_of": id-or-null, "story": cluster-id}, \
        where the cluster id is the id of the event's first story. A story arrives at its "published" date \
        unless that lies beyond the wall clock (plus a day) or behind the window, when it arrives "now" \
        (the newest date taken). A line that is not a story stops the run with "stdin:N: …" and exit status 1.
        """
    )

    @Option(help: "Forget stories older than this many hours (relative to the newest story).")
    var windowHours: Double = 168

    @Option(help: "Load the index from this file if it exists, and save it there at the end.")
    var index: String?

    func validate() throws {
        guard windowHours > 0 else { throw ValidationError("--window-hours must be positive") }
    }

    func run() async throws {
        let config = DedupConfig(window: windowHours * 3600)
        let dedup = try loadIndex(config: config)
        let decoder = JSONDecoder()
        var out = Data()
        var lineNumber = 0
        var clock = ArrivalClock(window: config.window)
        let now = Date()
        while let line = readLine(strippingNewline: true) {
            lineNumber += 1
            if line.allSatisfy(\.isWhitespace) { continue }
            let story: Story
            do {
                story = try decoder.decode(Story.self, from: Data(line.utf8))
            } catch {
                FileHandle.standardOutput.write(out)
                FileHandle.standardError.write(Data("stdin:\(lineNumber): \(DedupCommand.describe(error))\n".utf8))
                throw ExitCode.failure
            }
            let (at, expireBefore) = clock.arrival(published: story.published, now: now)
            if let expireBefore { dedup.expire(before: expireBefore) }
            DedupCommand.appendLine(dedup.add(story, at: at), to: &out)
            if out.count >= 1 << 16 {
                FileHandle.standardOutput.write(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        FileHandle.standardOutput.write(out)
        if let index { try saveIndex(dedup, to: index) }
    }

    private func loadIndex(config: DedupConfig) throws -> Deduplicator {
        guard let index, FileManager.default.fileExists(atPath: index) else { return Deduplicator(config: config) }
        do {
            return try Deduplicator(snapshot: Data(contentsOf: URL(fileURLWithPath: index)), config: config)
        } catch {
            throw ValidationError("\(index): \(error)")
        }
    }

    private func saveIndex(_ dedup: Deduplicator, to path: String) throws {
        do {
            try dedup.snapshot().write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ValidationError("\(path): cannot save index: \(error.localizedDescription)")
        }
    }

    /// `{"id":…,"duplicate_of":…,"story":…}` in the documented key order (JSONEncoder's order is unspecified).
    static func appendLine(_ r: DedupResult, to out: inout Data) {
        out.append(contentsOf: #"{"id":"#.utf8)
        appendJSONString(r.id, to: &out)
        out.append(contentsOf: #","duplicate_of":"#.utf8)
        if let d = r.duplicateOf { appendJSONString(d, to: &out) } else { out.append(contentsOf: "null".utf8) }
        out.append(contentsOf: #","story":"#.utf8)
        appendJSONString(r.story, to: &out)
        out.append(contentsOf: "}\n".utf8)
    }

    static func appendJSONString(_ s: String, to out: inout Data) {
        out.append(0x22)
        for b in s.utf8 {
            switch b {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: out.append(contentsOf: [0x5C, 0x72])
            case 0x09: out.append(contentsOf: [0x5C, 0x74])
            case 0..<0x20: out.append(contentsOf: String(format: "\\u%04x", b).utf8)
            default: out.append(b)
            }
        }
        out.append(0x22)
    }

    /// One line, no Swift type names: what is wrong with the JSON of this line.
    static func describe(_ error: any Error) -> String {
        guard let e = error as? DecodingError else { return "\(error)" }
        func path(_ p: [any CodingKey]) -> String { p.map(\.stringValue).joined(separator: ".") }
        switch e {
        case .keyNotFound(let key, _): return "missing field \"\(key.stringValue)\""
        case .typeMismatch(let type, let ctx): return "field \"\(path(ctx.codingPath))\" should be \(type == String.self ? "a string" : "\(type)")"
        case .valueNotFound(_, let ctx): return "field \"\(path(ctx.codingPath))\" is null"
        case .dataCorrupted(let ctx):
            return ctx.codingPath.isEmpty ? "not a JSON object" : "field \"\(path(ctx.codingPath))\": \(ctx.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}

import Foundation
import Logging

/// Keeps one source whose content crashes feedwatch from crash-looping the service.
///
/// Before a fetched body is parsed and classified, a small file naming the source and a hash
/// of the body goes into `processing/` in the state directory; it is removed once that work
/// is done. A crash leaves it behind (no fsync: a process crash keeps the page cache, and a
/// power cut is not a poison). A start that finds one counts a strike against the source;
/// two strikes on the same content quarantine it: that content is not parsed again (the
/// poll fails with a reason, so the source backs off, `status` shows it and a health alert
/// follows), until the content changes or `feedwatch source release NAME` is run.
///
/// Other sources may be in flight when the daemon dies, and each gets a first strike. A source
/// with a strike is processed alone (an exclusive lock the others share), so a second crash
/// names its culprit; a source processed without a crash is cleared of its strikes.
public final class PoisonLedger: @unchecked Sendable {
    /// A note in `processing/`, and whether its source holds the lock alone.
    struct Note {
        let path: String
        let exclusive: Bool
    }

    struct Entry: Codable, Equatable {
        var hash: String
        var strikes: Int
    }

    public static let strikesToQuarantine = 2

    private let directory: String
    private let file: String
    private let lock = NSLock()
    private var entries: [String: Entry]
    private let gate: UnsafeMutablePointer<pthread_rwlock_t>

    /// Reads the quarantine and counts a strike for every note a crash left behind.
    public init(stateDir: String, logger: Logger) {
        directory = (stateDir as NSString).appendingPathComponent("processing")
        file = Self.file(stateDir: stateDir)
        entries = Self.load(file)
        gate = .allocate(capacity: 1)
        pthread_rwlock_init(gate, nil)
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let left = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        guard !left.isEmpty else { return }
        for name in left {
            let path = (directory as NSString).appendingPathComponent(name)
            defer { unlink(path) }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            guard lines.count >= 2 else { continue }
            let key = lines[0], hash = lines[1]
            var entry = entries[key].flatMap { $0.hash == hash ? $0 : nil } ?? Entry(hash: hash, strikes: 0)
            entry.strikes += 1
            entries[key] = entry
            let quarantined = entry.strikes >= Self.strikesToQuarantine
            logger.error(quarantined ? "source quarantined: its content crashed feedwatch \(entry.strikes) times"
                                     : "feedwatch stopped while processing this source's content: strike \(entry.strikes)",
                         metadata: ["feed.url": "\(key)", "content.hash": "\(hash)"])
        }
        Self.save(entries, to: file)
    }

    deinit {
        pthread_rwlock_destroy(gate)
        gate.deallocate()
    }

    /// Whether this content of this source is quarantined.
    func isQuarantined(key: String, hash: String) -> Bool {
        lock.withLock { entries[key].map { $0.hash == hash && $0.strikes >= Self.strikesToQuarantine } ?? false }
    }

    /// Notes that `key`'s content `hash` is being processed (alone, when the source has a strike).
    func enter(key: String, hash: String) -> Note {
        let exclusive = lock.withLock { entries[key] != nil }
        if exclusive { pthread_rwlock_wrlock(gate) } else { pthread_rwlock_rdlock(gate) }
        let path = (directory as NSString).appendingPathComponent(Self.hash(Data(key.utf8)) + "-" + hash)
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        if fd >= 0 {
            let text = Array((key + "\n" + hash + "\n").utf8)
            _ = text.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
        return Note(path: path, exclusive: exclusive)
    }

    /// The work on a note's content is done without a crash: the note goes, and so do the strikes.
    func leave(_ note: Note, key: String) {
        unlink(note.path)
        pthread_rwlock_unlock(gate)
        guard note.exclusive else { return }
        lock.withLock {
            guard entries.removeValue(forKey: key) != nil else { return }
            Self.save(entries, to: file)
        }
    }

    /// Forgets the strikes against `key` (`feedwatch source release`); false when it had none.
    public static func release(stateDir: String, key: String) -> Bool {
        let file = file(stateDir: stateDir)
        var entries = load(file)
        guard entries.removeValue(forKey: key) != nil else { return false }
        save(entries, to: file)
        return true
    }

    /// Sources with strikes, by key: (strikes, quarantined).
    public static func strikes(stateDir: String) -> [String: (Int, Bool)] {
        load(file(stateDir: stateDir)).mapValues { ($0.strikes, $0.strikes >= strikesToQuarantine) }
    }

    /// 64-bit FNV-1a over 8-byte words (fast enough for every fetched body), as 16 hex digits.
    static func hash(_ data: Data) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        data.withUnsafeBytes { raw in
            var i = 0
            while i + 8 <= raw.count {
                h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x0000_0100_0000_01B3
                i += 8
            }
            while i < raw.count {
                h = (h ^ UInt64(raw[i])) &* 0x0000_0100_0000_01B3
                i += 1
            }
        }
        h ^= UInt64(data.count)
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    private static func file(stateDir: String) -> String {
        (stateDir as NSString).appendingPathComponent("quarantine.json")
    }

    private static func load(_ file: String) -> [String: Entry] {
        guard let data = FileManager.default.contents(atPath: file) else { return [:] }
        return (try? JSONDecoder().decode([String: Entry].self, from: data)) ?? [:]
    }

    private static func save(_ entries: [String: Entry], to file: String) {
        guard let data = try? JSONEncoder().encode(entries) else { return }
        try? data.write(to: URL(fileURLWithPath: file), options: .atomic)
    }
}

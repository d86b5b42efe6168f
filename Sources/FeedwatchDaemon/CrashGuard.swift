import Foundation
import Synchronization

/// Notes which sources' fetched content is being parsed, so that content which kills the
/// process (a stack overflow, an abort, an out-of-memory kill) can be named at the next start.
///
/// The notes are fixed-size slots in one file, `<state>/parsing.notes`, opened once: a parse
/// takes a free slot and writes its note there (one `pwrite`), and clears it after (another).
/// A write that reached the kernel survives the death of the process, which is all a crash needs;
/// a power cut that loses a note costs one strike, no more. The first design, a file created and
/// unlinked per parse, cost an ext4 create, an fsync and an unlink per fetched feed: a quarter of
/// a cold pass's system time. `PollService` reads what a dead process left at start: a strike
/// against each source named, quarantine from the second.
public final class CrashGuard: Sendable {
    /// "url-hash digest" padded: a source is named by a hash of its key, so a note's size does
    /// not depend on what the configuration holds.
    static let slotSize = 64
    private let path: String
    private let state: Mutex<Slots>

    private struct Slots {
        var fd: Int32 = -1
        var free: [Int] = []
        var count = 0
    }

    public init(stateDir: String) {
        path = (stateDir as NSString).appendingPathComponent("parsing.notes")
        state = Mutex(Slots())
    }

    deinit {
        state.withLock { if $0.fd >= 0 { close($0.fd) } }
    }

    /// A source's content is about to be parsed; `digest` names that content (see `digest(of:)`).
    /// Returns the slot to hand to `end`.
    func begin(url: String, digest: String?) -> Int {
        var note = Array((Self.hex(Self.fnv(url.utf8)) + " " + (digest ?? "-")).utf8.prefix(Self.slotSize - 1))
        note.append(UInt8(ascii: "\n"))
        note += repeatElement(UInt8(ascii: " "), count: Self.slotSize - note.count)
        // Only the slot is taken under the lock: the write, a system call, is made outside it, so
        // parses on other threads never wait for it.
        let (fd, slot) = state.withLock { slots in
            if slots.fd < 0 { slots.fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600) }
            let slot = slots.free.popLast() ?? { slots.count += 1; return slots.count - 1 }()
            return (slots.fd, slot)
        }
        if fd >= 0 { _ = note.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, off_t(slot * Self.slotSize)) } }
        return slot
    }

    /// The parse is over, whatever its outcome.
    func end(slot: Int) {
        let fd = state.withLock { $0.fd }
        let blank = [UInt8](repeating: 0, count: Self.slotSize)
        if fd >= 0 { _ = blank.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, off_t(slot * Self.slotSize)) } }
        // Freed after its note is cleared: a slot is never written by two parses at once.
        state.withLock { $0.free.append(slot) }
    }

    /// The notes a process that died mid-parse left, naming the sources among `keys`; the file is
    /// emptied as it is read. Call before the first `begin`.
    func leftovers(among keys: some Sequence<String>) -> [(url: String, digest: String?)] {
        guard let data = FileManager.default.contents(atPath: path), !data.isEmpty else { return [] }
        state.withLock { slots in
            if slots.fd >= 0 { _ = ftruncate(slots.fd, 0) } else { _ = truncate(path, 0) }
        }
        var byHash: [String: String] = [:]
        for key in keys { byHash[Self.hex(Self.fnv(key.utf8))] = key }
        var found: [(url: String, digest: String?)] = []
        var offset = 0
        while offset + Self.slotSize <= data.count {
            let slot = data[data.startIndex + offset ..< data.startIndex + offset + Self.slotSize]
            offset += Self.slotSize
            let words = String(decoding: slot, as: UTF8.self)
                .split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\0" })
            guard let hash = words.first, let url = byHash[String(hash)] else { continue }
            let digest = words.count > 1 && words[1] != "-" ? String(words[1]) : nil
            found.append((url, digest))
        }
        return found
    }

    /// A digest of fetched content: the same body is recognised across restarts.
    static func digest(of body: Data) -> String {
        body.withUnsafeBytes { hex(fnv($0)) } + "-" + String(body.count)
    }

    private static func fnv(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }

    private static func hex(_ x: UInt64) -> String {
        let s = String(x, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}

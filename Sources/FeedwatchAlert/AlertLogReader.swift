import Foundation

/// Reads a JSON Lines alert log from an offset and, when following, keeps
/// reading as it grows — across logrotate's rename-and-recreate and
/// copytruncate alike: a new inode at the path or a file shorter than what
/// was read means start over from the beginning of the (new) file.
public final class AlertLogReader {
    public let path: String
    private var fd: Int32 = -1
    private var inode: ino_t = 0
    private var offset: off_t = 0
    /// A line written in two pieces waits here until its newline arrives.
    private var partial = Data()

    public init(path: String) { self.path = path }

    deinit { if fd >= 0 { close(fd) } }

    /// Every complete line available now (without the newline). Opens the file
    /// lazily, so following a log that does not exist yet works. After a
    /// rotation, the old file is drained first, so no line written before the
    /// rename is lost.
    public func readLines() -> [Data] {
        if fd < 0 { _ = switchIfRotated() }
        var lines = drain()
        if switchIfRotated() { lines += drain() }
        return lines
    }

    private func drain() -> [Data] {
        guard fd >= 0 else { return [] }
        var lines: [Data] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, offset) }
            guard n > 0 else { break }
            offset += off_t(n)
            partial.append(contentsOf: buffer[0..<n])
            while let nl = partial.firstIndex(of: UInt8(ascii: "\n")) {
                let line = partial[partial.startIndex..<nl]
                if !line.isEmpty { lines.append(Data(line)) }
                partial.removeSubrange(partial.startIndex...nl)
            }
        }
        return lines
    }

    /// Skips what is in the file now: `tail --follow` without history.
    public func seekToEnd() {
        if fd < 0 { _ = switchIfRotated() }
        guard fd >= 0 else { return }
        var st = stat()
        if fstat(fd, &st) == 0 { offset = st.st_size }
        partial.removeAll()
    }

    /// True when the path now names another file (or was truncated) and reading restarts.
    private func switchIfRotated() -> Bool {
        var st = stat()
        guard stat(path, &st) == 0 else { return false }   // renamed away, not recreated yet: keep the old fd
        if fd >= 0 && st.st_ino == inode {
            guard st.st_size < offset else { return false }
            offset = 0                                       // copytruncate
            partial.removeAll()
            return true
        }
        if fd >= 0 { close(fd) }
        fd = open(path, O_RDONLY | O_CLOEXEC)
        inode = st.st_ino
        offset = 0
        partial.removeAll()
        return fd >= 0
    }
}

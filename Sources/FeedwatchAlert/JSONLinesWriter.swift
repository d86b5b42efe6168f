import Foundation
import Synchronization

/// Appends lines to a file opened `O_APPEND`, each line with a single write(2),
/// so concurrent appenders (and `tail -f`) never see interleaved or partial lines.
/// `reopen()` switches to a fresh descriptor after logrotate moved the file.
public final class JSONLinesWriter: Sendable {
    public let path: String
    private let permissions: mode_t
    private let fd: Mutex<Int32>

    /// Opens (creating with `permissions`) `path` for appending.
    public init(path: String, permissions: mode_t = 0o640) throws(AlertError) {
        self.path = path
        self.permissions = permissions
        fd = Mutex(try Self.open(path, permissions))
    }

    deinit { fd.withLock { if $0 >= 0 { close($0) } } }

    /// Appends `line` plus a newline. One write(2) on an O_APPEND descriptor: atomic
    /// for a regular file. A short write (disk full) is finished or reported.
    public func append(_ line: Data) throws(AlertError) {
        var bytes = line
        if bytes.last != UInt8(ascii: "\n") { bytes.append(UInt8(ascii: "\n")) }
        let result: Int32 = fd.withLock { fd in
            bytes.withUnsafeBytes { raw in
                var off = 0
                while off < raw.count {
                    let n = write(fd, raw.baseAddress! + off, raw.count - off)
                    if n < 0 {
                        if errno == EINTR { continue }
                        return errno
                    }
                    off += n
                }
                return 0
            }
        }
        guard result == 0 else {
            throw AlertError(kind: .transient, sink: path, message: "\(path): write: \(String(cString: strerror(result)))")
        }
    }

    /// Closes and reopens the path: after logrotate renamed the file, new lines
    /// go to a new file at `path`. On failure the old descriptor stays in use.
    public func reopen() throws(AlertError) {
        let new = try Self.open(path, permissions)
        let old = fd.withLock { fd in
            defer { fd = new }
            return fd
        }
        if old >= 0 { close(old) }
    }

    private static func open(_ path: String, _ mode: mode_t) throws(AlertError) -> Int32 {
        let fd = Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, mode)
        guard fd >= 0 else {
            throw AlertError(kind: .config, sink: path, message: "\(path): open: \(String(cString: strerror(errno)))")
        }
        return fd
    }
}

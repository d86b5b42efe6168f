import Foundation

/// The systemd notification protocol (sd_notify(3)) without libsystemd: one
/// datagram per message to `$NOTIFY_SOCKET`, a path or an abstract (`@…`) AF_UNIX
/// socket. Every call is a no-op returning false when not run by systemd.
public struct SdNotify: Sendable {
    /// `$NOTIFY_SOCKET` as found, nil when not under a Type=notify service.
    public let socket: String?
    /// `$WATCHDOG_USEC`, if the watchdog is enabled for this process.
    public let watchdogMicroseconds: UInt64?

    /// Reads `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID` from `environment`;
    /// a watchdog meant for another pid is ignored, as sd_watchdog_enabled(3) does.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment, pid: Int32 = getpid()) {
        let s = environment["NOTIFY_SOCKET"]
        socket = (s?.isEmpty ?? true) ? nil : s
        if let u = environment["WATCHDOG_USEC"].flatMap(UInt64.init), u > 0,
           environment["WATCHDOG_PID"].flatMap(Int32.init).map({ $0 == pid }) ?? true {
            watchdogMicroseconds = u
        } else {
            watchdogMicroseconds = nil
        }
    }

    public var isEnabled: Bool { socket != nil }

    /// How often to send `WATCHDOG=1`: half the configured timeout; nil when no watchdog.
    public func watchdogInterval() -> Duration? {
        watchdogMicroseconds.map { .microseconds(Int64($0 / 2)) }
    }

    /// `READY=1`, with an optional `STATUS=`.
    @discardableResult
    public func ready(status: String? = nil) -> Bool { send(["READY=1"] + Self.status(status)) }

    /// `STATUS=…`, the one line `systemctl status` shows.
    @discardableResult
    public func status(_ text: String) -> Bool { send(Self.status(text)) }

    /// `RELOADING=1` with `MONOTONIC_USEC=` (systemd ≥ 253 requires it; 252 accepts it);
    /// follow with `ready()` when the reload is done.
    @discardableResult
    public func reloading(status: String? = nil) -> Bool {
        send(["RELOADING=1", "MONOTONIC_USEC=\(Self.monotonicMicroseconds())"] + Self.status(status))
    }

    /// `STOPPING=1` at the start of a graceful shutdown.
    @discardableResult
    public func stopping(status: String? = nil) -> Bool { send(["STOPPING=1"] + Self.status(status)) }

    /// `WATCHDOG=1`: send only after checking that the workers made progress.
    @discardableResult
    public func watchdog() -> Bool { send(["WATCHDOG=1"]) }

    /// Sends the assignments as one datagram, newline-separated.
    @discardableResult
    public func send(_ assignments: [String]) -> Bool {
        guard let socket, !assignments.isEmpty else { return false }
        return Self.sendDatagram(assignments.joined(separator: "\n"), to: socket)
    }

    /// CLOCK_MONOTONIC in microseconds, the clock systemd compares reload times against.
    public static func monotonicMicroseconds() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return UInt64(t.tv_sec) * 1_000_000 + UInt64(t.tv_nsec) / 1_000
    }

    private static func status(_ s: String?) -> [String] {
        // STATUS= is one line; a newline would start a new (bogus) assignment.
        s.map { ["STATUS=" + $0.replacingOccurrences(of: "\n", with: " ")] } ?? []
    }

    static func sendDatagram(_ message: String, to socketPath: String) -> Bool {
        var path = Array(socketPath.utf8)
        guard let first = path.first, first == UInt8(ascii: "/") || first == UInt8(ascii: "@") else { return false }
        let abstract = first == UInt8(ascii: "@")
        if abstract { path[0] = 0 }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: addr.sun_path)
        // A path socket needs room for its NUL terminator; an abstract name does not have one.
        guard path.count <= (abstract ? capacity : capacity - 1) else { return false }
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: path) }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + path.count + (abstract ? 0 : 1))
        let fd = Glibc.socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let bytes = Array(message.utf8)
        let sent = withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                bytes.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), sa, length) }
            }
        }
        return sent == bytes.count
    }
}

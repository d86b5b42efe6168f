import FeedwatchDaemon
import FeedwatchTestSupport
import Foundation
import Testing

/// A datagram socket bound like systemd's notify socket, path or abstract.
final class NotifyListener {
    let fd: Int32
    let address: String

    init(abstract: Bool, dir: StoreTempDir) throws {
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var tv = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        var bytes: [UInt8]
        if abstract {
            address = "@fw-test-\(getpid())-\(UUID().uuidString.prefix(8))"
            bytes = Array(address.utf8)
            bytes[0] = 0
        } else {
            address = dir.file("notify.sock")
            bytes = Array(address.utf8) + [0]
        }
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: bytes) }
        let len = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count)
        let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        try #require(rc == 0, "bind \(address): errno \(errno)")
    }

    deinit { close(fd) }

    func receive() -> String? {
        var buf = [UInt8](repeating: 0, count: 4096)
        let n = recv(fd, &buf, buf.count, 0)
        return n < 0 ? nil : String(decoding: buf[0..<n], as: UTF8.self)
    }
}

@Suite("sd_notify")
struct SdNotifyTests {
    @Test("Protocol messages reach a listening datagram socket", arguments: [false, true])
    func messages(abstract: Bool) throws {
        let dir = StoreTempDir()
        let l = try NotifyListener(abstract: abstract, dir: dir)
        let n = SdNotify(environment: ["NOTIFY_SOCKET": l.address])
        #expect(n.isEnabled)
        #expect(n.ready(status: "watching 12 feeds"))
        #expect(l.receive() == "READY=1\nSTATUS=watching 12 feeds")
        #expect(n.status("polled 3/12\nsecond line"))
        #expect(l.receive() == "STATUS=polled 3/12 second line")
        let before = SdNotify.monotonicMicroseconds()
        #expect(n.reloading(status: "reloading"))
        let reload = try #require(l.receive()).split(separator: "\n").map(String.init)
        #expect(reload.first == "RELOADING=1")
        let usec = try #require(reload.first { $0.hasPrefix("MONOTONIC_USEC=") }.flatMap { UInt64($0.dropFirst(15)) })
        #expect(usec >= before && usec <= SdNotify.monotonicMicroseconds())
        #expect(reload.last == "STATUS=reloading")
        #expect(n.watchdog())
        #expect(l.receive() == "WATCHDOG=1")
        #expect(n.stopping(status: "draining outbox"))
        #expect(l.receive() == "STOPPING=1\nSTATUS=draining outbox")
    }

    @Test("Not under systemd: every call is a harmless no-op")
    func disabled() {
        let n = SdNotify(environment: [:])
        #expect(!n.isEnabled)
        #expect(!n.ready())
        #expect(n.watchdogInterval() == nil)
        #expect(!SdNotify(environment: ["NOTIFY_SOCKET": "relative/path"]).ready())
        #expect(!SdNotify(environment: ["NOTIFY_SOCKET": "/" + String(repeating: "x", count: 200)]).ready())
        #expect(!SdNotify(environment: ["NOTIFY_SOCKET": "/nonexistent/notify.sock"]).ready())
    }

    @Test("Watchdog interval is half of WATCHDOG_USEC, only for our pid")
    func watchdogInterval() {
        #expect(SdNotify(environment: ["WATCHDOG_USEC": "60000000"]).watchdogInterval() == .seconds(30))
        #expect(SdNotify(environment: ["WATCHDOG_USEC": "60000000", "WATCHDOG_PID": "\(getpid())"])
            .watchdogInterval() == .seconds(30))
        #expect(SdNotify(environment: ["WATCHDOG_USEC": "60000000", "WATCHDOG_PID": "1"]).watchdogInterval() == nil)
        #expect(SdNotify(environment: ["WATCHDOG_USEC": "0"]).watchdogInterval() == nil)
        #expect(SdNotify(environment: ["WATCHDOG_USEC": "soon"]).watchdogInterval() == nil)
    }
}

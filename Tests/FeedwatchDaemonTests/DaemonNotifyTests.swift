import Foundation
import Synchronization
import Testing

/// The daemon's sd_notify conversation, heard on a datagram socket the test listens on.
@Suite(.serialized, .enabled(if: E2E.hasBinary, "needs .build/debug/feedwatch (swift build --build-tests)"))
struct DaemonNotifyTests {
    /// An AF_UNIX datagram socket collecting every message sent to it.
    final class Listener: @unchecked Sendable {
        let path: String
        private let fd: Int32
        private let messages = Mutex<[String]>([])
        private let stop = Atomic<Bool>(false)
        private var thread: Thread?

        init(path: String) throws {
            self.path = path
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            var addr = sockaddr_un()
            addr.sun_family = sa_family_t(AF_UNIX)
            let bytes = Array(path.utf8)
            withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: bytes) }
            let ok = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard ok == 0 else { throw POSIXError(.EADDRINUSE) }
            var tv = timeval(tv_sec: 0, tv_usec: 100_000)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            let t = Thread { [self] in
                var buf = [UInt8](repeating: 0, count: 4096)
                while !stop.load(ordering: .relaxed) {
                    let n = recv(fd, &buf, buf.count, 0)
                    if n > 0 { messages.withLock { $0.append(String(decoding: buf[0..<n], as: UTF8.self)) } }
                }
            }
            thread = t
            t.start()
        }

        var received: [String] { messages.withLock { $0 } }
        func close() { stop.store(true, ordering: .relaxed); Glibc.close(fd); unlink(path) }
    }

    @Test func readyStatusWatchdogReloadingAndStopping() async throws {
        let e2e = try E2E()
        defer { e2e.cleanup() }
        try e2e.write("wire.rss", E2E.rss("Wire", [E2E.mali]))
        let config = try e2e.config(sources: [("Wire", "wire.rss")])
        let listener = try Listener(path: e2e.dir + "/notify.sock")
        defer { listener.close() }
        let child = try DaemonProcessTests.Child(["run", "--config", config],
                                                 environment: ["NOTIFY_SOCKET": listener.path, "WATCHDOG_USEC": "400000"])
        defer { if child.process.isRunning { child.signal(SIGKILL) } }
        #expect(await eventually { listener.received.contains { $0.hasPrefix("READY=1") } })
        #expect(await eventually { listener.received.filter { $0 == "WATCHDOG=1" }.count >= 2 })
        child.signal(SIGHUP)
        #expect(await eventually { listener.received.contains { $0.hasPrefix("RELOADING=1\nMONOTONIC_USEC=") } })
        #expect(await eventually { listener.received.filter { $0.hasPrefix("READY=1") }.count == 2 })
        child.signal(SIGTERM)
        #expect(await child.wait() == 0)
        let all = listener.received
        #expect(all.contains { $0.hasPrefix("STOPPING=1") })
        let ready = try #require(all.first { $0.hasPrefix("READY=1") })
        #expect(ready.contains("STATUS=1 sources"))
        // Order: READY before RELOADING before STOPPING.
        let r = all.firstIndex { $0.hasPrefix("READY=1") } ?? -1
        let h = all.firstIndex { $0.hasPrefix("RELOADING=1") } ?? -1
        let s = all.firstIndex { $0.hasPrefix("STOPPING=1") } ?? -1
        #expect(r < h && h < s)
    }
}

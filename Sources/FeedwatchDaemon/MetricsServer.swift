import FeedwatchConfig
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Serves `GET /metrics` (Prometheus text format) on the address `metrics.listen` names. One
/// thread of its own accepts and answers, one connection at a time (a scrape is one short
/// request): nothing of it runs on the cooperative pool, and a slow client is cut off after
/// two seconds.
final class MetricsServer: Sendable {
    struct StartError: Error, CustomStringConvertible {
        var address: String
        var reason: String
        var description: String { "metrics.listen \(address): \(reason)" }
    }

    /// The bound port (the one asked for, or the one the system chose for port 0).
    let port: Int
    private let fd: Int32
    private let stopped = StopFlag()
    private let done = DispatchSemaphore(value: 0)

    init(_ address: MetricsAddress, render: @escaping @Sendable () async -> String) throws {
        let text = "\(address.host):\(address.port)"
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        self.fd = fd
        guard fd >= 0 else { throw StartError(address: text, reason: String(cString: strerror(errno))) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = address.port.bigEndian
        inet_pton(AF_INET, address.host, &addr.sin_addr)
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw StartError(address: text, reason: "cannot listen: \(reason)")
        }
        var got = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &got) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        port = Int(UInt16(bigEndian: got.sin_port))
        let stopped = self.stopped, done = self.done
        Thread.detachNewThread {
            defer { done.signal() }
            while !stopped.value.load(ordering: .acquiring) {
                let client = accept(fd, nil, nil)
                if client < 0 {
                    if errno == EINTR || errno == ECONNABORTED { continue }
                    return
                }
                Self.answer(client, render: render)
                close(client)
            }
        }
    }

    func stop() {
        guard !stopped.value.exchange(true, ordering: .acquiringAndReleasing) else { return }
        shutdown(fd, Int32(SHUT_RDWR))
        _ = done.wait(timeout: .now() + 3)
        close(fd)
    }

    private static func answer(_ client: Int32, render: @escaping @Sendable () async -> String) {
        var tv = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var request = [UInt8]()
        var buf = [UInt8](repeating: 0, count: 2048)
        while request.count < 8192, !request.ends(with: [13, 10, 13, 10]) {
            let n = recv(client, &buf, buf.count, 0)
            guard n > 0 else { return }
            request += buf[0..<n]
        }
        let line = String(decoding: request.prefix { $0 != 13 }, as: UTF8.self)
        let response: String
        if line.hasPrefix("GET /metrics ") || line == "GET /metrics" {
            let body = Self.wait(render)
            response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
                + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body
        } else {
            response = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        }
        let bytes = Array(response.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { return }
            sent += n
        }
    }

    /// Runs `render` on the pool and waits for it here, on the server's own thread.
    private static func wait(_ render: @escaping @Sendable () async -> String) -> String {
        let result = Mutex("")
        let ready = DispatchSemaphore(value: 0)
        Task {
            let text = await render()
            result.withLock { $0 = text }
            ready.signal()
        }
        guard ready.wait(timeout: .now() + 10) == .success else { return "" }
        return result.withLock { $0 }
    }
}

private final class StopFlag: Sendable {
    let value = Atomic<Bool>(false)
}

private extension Array where Element == UInt8 {
    func ends(with suffix: [UInt8]) -> Bool { count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix }
}

import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// An HTTP/1.1 server on 127.0.0.1 (ephemeral port) for tests and benchmarks.
///
/// One thread accepts; each connection gets its own thread and is kept alive
/// until the client closes it, the response asks to close, or `stop()`.
/// Requests are recorded in arrival order. Stopping (or releasing the server)
/// wakes every blocked socket, so stalled and endless responses end too.
public final class LoopbackHTTPServer: @unchecked Sendable {
    /// Why the server could not start.
    public struct StartError: Error, CustomStringConvertible {
        public var call: String
        public var errno: Int32
        public var description: String { "loopback server: \(call) failed: \(String(cString: strerror(errno)))" }
    }

    private let core: ServerCore

    /// Binds 127.0.0.1:0 and starts accepting. `handler` runs on a connection thread.
    public init(_ handler: @escaping @Sendable (TestHTTPRequest) -> TestHTTPResponse) throws {
        core = try ServerCore(handler: handler)
        core.start()
    }

    deinit { core.stop() }

    /// The bound port.
    public var port: Int { core.port }

    /// `http://127.0.0.1:PORT`.
    public var baseURL: String { "http://127.0.0.1:\(core.port)" }

    /// Every request received so far, in arrival order.
    public var requests: [TestHTTPRequest] { core.recorded.withLock { $0 } }

    /// Stops accepting, disconnects every client and waits (briefly) for the threads to finish.
    /// Idempotent.
    public func stop() { core.stop() }

    /// Waits until at least `count` requests have arrived or `timeout` passes; returns what arrived.
    public func waitForRequests(count: Int, timeout: Duration = .seconds(5)) async -> [TestHTTPRequest] {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while true {
            let seen = requests
            if seen.count >= count || ContinuousClock.now >= deadline { return seen }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }
}

/// The state the server's threads share; owned by the server so that releasing
/// the server stops them.
final class ServerCore: @unchecked Sendable {
    let handler: @Sendable (TestHTTPRequest) -> TestHTTPResponse
    let listenFD: Int32
    let port: Int
    let recorded = Mutex<[TestHTTPRequest]>([])
    /// Open connection sockets; `nil` once stopped.
    private let connections = Mutex<Set<Int32>?>([])
    private let threads = DispatchGroup()
    private let stopped = Atomic<Bool>(false)

    init(handler: @escaping @Sendable (TestHTTPRequest) -> TestHTTPResponse) throws {
        self.handler = handler
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw LoopbackHTTPServer.StartError(call: "socket", errno: errno) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 512) == 0 else {
            let e = errno
            close(fd)
            throw LoopbackHTTPServer.StartError(call: bound == 0 ? "listen" : "bind", errno: e)
        }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        listenFD = fd
        port = Int(UInt16(bigEndian: addr.sin_port))
    }

    func start() {
        threads.enter()
        let thread = Thread { [self] in
            acceptLoop()
            threads.leave()
        }
        thread.name = "loopback-accept"
        thread.start()
    }

    var isStopped: Bool { stopped.load(ordering: .acquiring) }

    func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        // shutdown() wakes a thread blocked in accept/recv/send; each thread closes its own fd,
        // so no descriptor is closed while another thread may still use its number.
        shutdown(listenFD, Int32(SHUT_RDWR))
        let open = connections.withLock { set -> Set<Int32> in
            let s = set ?? []
            set = nil
            return s
        }
        for fd in open { shutdown(fd, Int32(SHUT_RDWR)) }
        _ = threads.wait(timeout: .now() + 3)
    }

    private func acceptLoop() {
        defer { close(listenFD) }
        while !isStopped {
            let fd = accept(listenFD, nil, nil)
            if fd < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                return
            }
            // Benchmarks spawn processes: keep client sockets out of them.
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            let registered = connections.withLock { set -> Bool in
                guard set != nil else { return false }
                set!.insert(fd)
                return true
            }
            guard registered else { close(fd); return }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            threads.enter()
            let thread = Thread { [self] in
                var connection = LoopbackConnection(fd: fd, core: self)
                connection.serve()
                connections.withLock { _ = $0?.remove(fd) }
                close(fd)
                threads.leave()
            }
            thread.name = "loopback-conn"
            thread.stackSize = 256 * 1024
            thread.start()
        }
    }

    func record(_ request: TestHTTPRequest) {
        recorded.withLock { $0.append(request) }
    }
}

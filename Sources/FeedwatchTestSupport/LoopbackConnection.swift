import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One accepted connection: reads requests, asks the handler, writes responses.
/// Lives on its own thread; the owner closes the socket afterwards.
struct LoopbackConnection {
    let fd: Int32
    let core: ServerCore
    private var buffer: [UInt8] = []

    init(fd: Int32, core: ServerCore) {
        self.fd = fd
        self.core = core
    }

    mutating func serve() {
        while !core.isStopped, let (request, keepAlive) = readRequest() {
            core.record(request)
            let response = core.handler(request)
            guard write(response, for: request), keepAlive, !response.closeConnection else { return }
        }
    }

    // MARK: Reading

    private mutating func readRequest() -> (TestHTTPRequest, Bool)? {
        var headEnd: Int?
        while true {
            if let end = Self.find([13, 10, 13, 10], in: buffer) { headEnd = end; break }
            // A TLS ClientHello (record type 0x16) never ends a header block: answer
            // in plain HTTP, as a real server would, so the client fails fast.
            if buffer.first == 0x16 {
                _ = sendAll(Array("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n".utf8))
                return nil
            }
            guard buffer.count < 64 * 1024, fill() else { return nil }
        }
        guard let end = headEnd else { return nil }
        let head = String(decoding: buffer[..<end], as: UTF8.self)
        buffer.removeFirst(end + 4)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ", omittingEmptySubsequences: true)
        guard requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers[name] = headers[name].map { "\($0), \(value)" } ?? value
        }
        if headers["expect"]?.lowercased() == "100-continue" {
            guard sendAll(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)) else { return nil }
        }
        let length = headers["content-length"].flatMap { Int($0) } ?? 0
        while buffer.count < length {
            guard fill() else { return nil }
        }
        let body = Data(buffer[..<length])
        buffer.removeFirst(length)
        let version = requestLine.count > 2 ? String(requestLine[2]) : "HTTP/1.0"
        let connection = headers["connection"]?.lowercased() ?? ""
        let keepAlive = version == "HTTP/1.1" ? connection != "close" : connection == "keep-alive"
        let request = TestHTTPRequest(method: String(requestLine[0]), path: String(requestLine[1]),
                                      headers: headers, body: body)
        return (request, keepAlive)
    }

    /// Appends whatever the socket has; false on EOF, error or shutdown.
    private mutating func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 { buffer.append(contentsOf: chunk[..<n]); return true }
            if n < 0 && errno == EINTR { continue }
            return false
        }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if Array(haystack[i..<i + needle.count]) == needle { return i }
        }
        return nil
    }

    // MARK: Writing

    /// False when the connection must close.
    private func write(_ response: TestHTTPResponse, for request: TestHTTPRequest) -> Bool {
        if response.mode == .stall { drainUntilClosed(); return false }
        if response.delay > .zero, !pause(response.delay) { return false }

        let noBody = response.status == 304 || response.status == 204 || (100..<200).contains(response.status)
            || request.method == "HEAD"
        let body = response.gzip ? GzipStored.encode(response.body) : response.body
        var head = "HTTP/1.1 \(response.status) \(Self.reason(response.status))\r\n"
        for (name, value) in response.headers { head += "\(name): \(value)\r\n" }
        if response.gzip { head += "Content-Encoding: gzip\r\n" }
        switch response.mode {
        case .fixed, .stall:
            if !noBody { head += "Content-Length: \(body.count)\r\n" }
        case .chunked, .endless, .trickle:
            head += "Transfer-Encoding: chunked\r\n"
        }
        let endless = response.mode == .endless || { if case .trickle = response.mode { true } else { false } }()
        if response.closeConnection || endless { head += "Connection: close\r\n" }
        head += "\r\n"
        guard sendAll(Array(head.utf8)) else { return false }
        if noBody { return true }

        switch response.mode {
        case .fixed, .stall:
            return sendAll([UInt8](body))
        case .chunked(let size):
            let bytes = [UInt8](body)
            var offset = 0
            while offset < bytes.count {
                let n = min(size, bytes.count - offset)
                guard sendChunk(bytes[offset..<offset + n]) else { return false }
                offset += n
            }
            return sendAll(Array("0\r\n\r\n".utf8))
        case .endless:
            let filler = [UInt8](repeating: UInt8(ascii: "x"), count: 64 * 1024)
            while !core.isStopped, sendChunk(filler[...]) {}
            return false
        case .trickle(let interval):
            while pause(interval), sendChunk([UInt8(ascii: "<")]) {}
            return false
        }
    }

    private func sendChunk(_ bytes: ArraySlice<UInt8>) -> Bool {
        sendAll(Array((String(bytes.count, radix: 16) + "\r\n").utf8)) && sendAll(Array(bytes))
            && sendAll([13, 10])
    }

    private func sendAll(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes {
                send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
            }
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += n
        }
        return true
    }

    /// Sleeps in short slices so `stop()` is not held up; false if stopped meanwhile.
    private func pause(_ delay: Duration) -> Bool {
        let deadline = ContinuousClock.now.advanced(by: delay)
        while ContinuousClock.now < deadline {
            if core.isStopped { return false }
            usleep(5_000)
        }
        return !core.isStopped
    }

    /// A stalled response: swallow input until the peer goes away or the server stops.
    private func drainUntilClosed() {
        var sink = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = sink.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 || (n < 0 && errno == EINTR) { continue }
            return
        }
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 204: "No Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 303: "See Other"
        case 304: "Not Modified"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 410: "Gone"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}

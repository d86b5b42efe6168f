import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Serves `file://` URLs and plain paths without libcurl: the size cap applies,
/// and the file's mtime acts as Last-Modified so a local feed re-polls as a 304.
enum LocalFileReader {
    static func read(path: String, request: HTTPRequest) throws(HTTPError) -> HTTPResponse {
        let started = ContinuousClock.now
        func fail(_ kind: HTTPError.Kind, _ message: String) -> HTTPError {
            HTTPError(kind: kind, url: request.url, message: message)
        }
        guard request.method == .get else { throw fail(.invalidURL, "only GET reads a local file") }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw fail(.file, "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw fail(.file, "cannot stat: \(String(cString: strerror(errno)))") }
        guard info.st_mode & S_IFMT != S_IFDIR else { throw fail(.file, "is a directory") }
        let cap = request.maxBodyBytes
        if info.st_mode & S_IFMT == S_IFREG, Int(info.st_size) > cap {
            throw fail(.tooLarge, "file is \(info.st_size) bytes, over the \(cap)-byte cap")
        }
        let mtime = Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec))
        let lastModified = HTTPDate.format(mtime)
        let headers = ResponseHeaders(lastModified: lastModified)
        if request.validators.lastModified == lastModified {
            return HTTPResponse(status: 304, finalURL: request.url, headers: headers,
                                timings: timings(since: started))
        }
        // Read at most cap+1 bytes: a FIFO or a file growing under us cannot blow the cap.
        var body = Data()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while body.count <= cap {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, min($0.count, cap + 1 - body.count)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw fail(.file, "cannot read: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            body.append(contentsOf: chunk[..<n])
        }
        guard body.count <= cap else { throw fail(.tooLarge, "file is over the \(cap)-byte cap") }
        return HTTPResponse(status: 200, finalURL: request.url, headers: headers, body: body,
                            timings: timings(since: started), wireBytes: body.count)
    }

    private static func timings(since start: ContinuousClock.Instant) -> Timings {
        let elapsed = start.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Timings(firstByte: seconds, total: seconds)
    }
}

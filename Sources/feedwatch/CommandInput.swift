import FeedwatchHTTP
import Foundation

/// What `parse` and `extract` read: a file (memory-mapped), standard input (`-`), or a URL
/// fetched once through the daemon's own transport. The source is classified by
/// `RequestTarget`, as the fetcher does, so a URL the daemon would refuse is refused here with
/// the same one-line message.
struct CommandInput {
    var source: String

    /// The bytes, the final URL after redirects (none for local files) and the HTTP charset.
    func load() async throws -> (data: Data, finalURL: String?, charset: String?) {
        if source == "-" { return (try mapFile("/dev/stdin"), nil, nil) }
        switch RequestTarget(source) {
        case .http:
            let transport = CurlTransport(maxConcurrent: 1, maxPerHost: 1)
            let result: Result<HTTPResponse, any Error>
            do {
                result = .success(try await transport.send(HTTPRequest(url: source)))
            } catch {
                result = .failure(error)
            }
            await transport.shutdown()
            let response = try result.get()
            guard response.isSuccess else {
                throw HTTPError(kind: .httpStatus, url: source, message: "HTTP \(response.status)", status: response.status)
            }
            return (response.body, response.finalURL, response.headers.charset)
        case .file(let path):
            return (try mapFile(path), nil, nil)
        case .invalid(let reason):
            throw HTTPError(kind: .invalidURL, url: source, message: reason)
        }
    }

    /// A local-file failure worded as the fetcher words it (`fetch: <source>: cannot open: …`).
    private func fileError(_ message: String) -> HTTPError {
        HTTPError(kind: .file, url: source, message: message)
    }

    /// The file's bytes, memory-mapped (no copy of a multi-megabyte file into the heap).
    private func mapFile(_ path: String) throws -> Data {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw fileError("cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw fileError("cannot stat: \(String(cString: strerror(errno)))") }
        if (st.st_mode & S_IFMT) == S_IFDIR { throw fileError("is a directory") }
        let size = Int(st.st_size)
        guard (st.st_mode & S_IFMT) == S_IFREG, size > 0 else {
            // Pipes, devices and empty files: read what there is.
            guard let h = FileHandle(forReadingAtPath: path) else { throw fileError("cannot read: \(String(cString: strerror(errno)))") }
            do {
                return try h.readToEnd() ?? Data()   // nil: nothing before end of file
            } catch {
                throw fileError("cannot read: \(error.localizedDescription)")
            }
        }
        guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw fileError("cannot read: \(String(cString: strerror(errno)))")
        }
        return Data(bytesNoCopy: p, count: size, deallocator: .custom { ptr, n in munmap(ptr, n) })
    }
}

import ArgumentParser
import FeedwatchHTTP
import FeedwatchModel
import FeedwatchParse
import Foundation

/// `feedwatch parse <file-or-url>`: prints the feed as one JSON object on stdout.
struct ParseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Parse a feed (RSS, RDF, Atom, JSON Feed) and print it as one JSON object.",
        discussion: """
            Exit status 0 with the JSON on stdout; a recovered, damaged feed also \
            prints a one-line warning on stderr. Any failure prints one line on \
            stderr and exits 1.
            """
    )

    @Argument(help: "A feed file, a file:// URL or an http(s):// URL; - reads standard input.")
    var source: String

    func run() async throws {
        do {
            let (data, base, charset) = try await load()
            let parsed = try FeedParser.parse(data, baseURL: base, charset: charset)
            if let damage = parsed.damage {
                FileHandle.standardError.write(Data("feedwatch: warning: \(source): damaged feed, recovered (\(damage))\n".utf8))
            }
            try FeedJSON.write(parsed.feed) { try writeAll($0, to: STDOUT_FILENO) }
            let newline: [UInt8] = [0x0A]
            try newline.withUnsafeBytes { try writeAll($0, to: STDOUT_FILENO) }
            // Done: let the kernel reclaim the feed rather than freeing thousands of
            // entries one by one (a measurable share of a big feed's run time).
            Foundation.exit(0)
        } catch let e as ParseError {
            fail("parse: \(source): \(e.reason)")
        } catch let e as HTTPError {
            fail(e.description)
        } catch let e as LoadError {
            fail("parse: \(source): \(e.message)")
        } catch {
            fail("parse: \(source): \(error)")
        }
    }

    private struct LoadError: Error { var message: String }

    /// A local-file failure worded as the fetcher words it (`fetch: <source>: cannot open: …`).
    private func fileError(_ message: String) -> HTTPError {
        HTTPError(kind: .file, url: source, message: message)
    }

    /// The file's bytes, memory-mapped (no copy of a multi-megabyte feed into the heap).
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

    /// Writes without the extra copy `FileHandle.write(Data)` makes of a multi-megabyte document.
    private func writeAll(_ bytes: UnsafeRawBufferPointer, to fd: Int32) throws {
        var offset = 0
        while offset < bytes.count {
            let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw LoadError(message: "cannot write output: \(String(cString: strerror(errno)))")
            }
            offset += n
        }
    }

    private func fail(_ line: String) -> Never {
        FileHandle.standardError.write(Data("feedwatch: \(line)\n".utf8))
        Foundation.exit(1)
    }

    /// The bytes, the base URL for relative links (none for local files) and the HTTP charset.
    /// The source is classified by `RequestTarget`, as the fetcher does, so a URL the
    /// daemon would refuse is refused here with the same one-line message.
    private func load() async throws -> (Data, String?, String?) {
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
            guard response.isSuccess else { throw HTTPError(kind: .httpStatus, url: source, message: "HTTP \(response.status)", status: response.status) }
            return (response.body, response.finalURL, response.headers.charset)
        case .file(let path):
            return (try mapFile(path), nil, nil)
        case .invalid(let reason):
            throw HTTPError(kind: .invalidURL, url: source, message: reason)
        }
    }
}

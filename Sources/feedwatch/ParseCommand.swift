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

    @Argument(help: "A feed file, a file:// URL or an http(s):// URL.")
    var source: String

    func run() async throws {
        do {
            let (data, base, charset) = try await load()
            let parsed = try FeedParser.parse(data, baseURL: base, charset: charset)
            if let damage = parsed.damage {
                FileHandle.standardError.write(Data("feedwatch: warning: \(source): damaged feed, recovered (\(damage))\n".utf8))
            }
            var json = FeedJSON.encode(parsed.feed)
            json.append(0x0A)
            try json.withUnsafeBytes { try writeAll($0, to: STDOUT_FILENO) }
        } catch let e as ParseError {
            fail("parse: \(source): \(e.reason)")
        } catch let e as HTTPError {
            fail(e.description)
        } catch let e as LoadError {
            fail("parse: \(source): \(e.message)")
        }
    }

    private struct LoadError: Error { var message: String }

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
    private func load() async throws -> (Data, String?, String?) {
        let lower = source.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
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
        }
        var path = source
        if lower.hasPrefix("file://") {
            path = URL(string: source)?.path ?? String(source.dropFirst(7))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDir: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDir)
            throw LoadError(message: !exists ? "no such file" : isDir.boolValue ? "is a directory" : "cannot read file")
        }
        return (data, nil, nil)
    }
}

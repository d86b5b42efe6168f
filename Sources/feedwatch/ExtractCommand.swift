import ArgumentParser
import FeedwatchExtract
import FeedwatchHTTP
import Foundation

/// `feedwatch extract <file-or-url>`: the article in a page, as text or one JSON object.
struct ExtractCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Extract an article page's title, body text, date, authors and language.",
        discussion: """
            FILE may be gzip-compressed. Without --json prints the title, a blank line and the \
            body (one paragraph per line). With --json prints one object: \
            {"url","title","text","published","authors","language"}. A page with no article, \
            or one that cannot be read, prints one line on stderr and exits 1.
            """
    )

    @Argument(help: "An HTML file (gzip allowed), a file:// URL or an http(s):// URL; - reads standard input.")
    var source: String

    @Option(help: "The page's URL, reported in the output (defaults to SOURCE when it is a URL).")
    var url: String?

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func run() async throws {
        do {
            let (bytes, finalURL, charset) = try await load()
            let article = try ArticleExtractor.extract(bytes, url: url ?? finalURL, httpCharset: charset)
            if json {
                print(article.json)
            } else {
                if let title = article.title { print(title + "\n") }
                print(article.text)
            }
        } catch let e as ExtractError {
            fail("\(e.reason): \(source)")
        } catch let e as HTTPError {
            fail(e.description)
        } catch {
            fail("extract: \(source): \(error)")
        }
    }

    private func fail(_ line: String) -> Never {
        FileHandle.standardError.write(Data("feedwatch: \(line)\n".utf8))
        Foundation.exit(1)
    }

    /// The page's bytes, its URL (for a fetched page, after redirects) and the HTTP charset.
    private func load() async throws -> ([UInt8], String?, String?) {
        if source == "-" { return (try readFile("/dev/stdin"), nil, nil) }
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
            return ([UInt8](response.body), response.finalURL, response.headers.charset)
        case .file(let path):
            return (try readFile(path), nil, nil)
        case .invalid(let reason):
            throw HTTPError(kind: .invalidURL, url: source, message: reason)
        }
    }

    private func readFile(_ path: String) throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw HTTPError(kind: .file, url: source, message: "is a directory")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw HTTPError(kind: .file, url: source, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { try? handle.close() }
        do {
            return [UInt8](try handle.readToEnd() ?? Data())
        } catch {
            throw HTTPError(kind: .file, url: source, message: "cannot read: \(error.localizedDescription)")
        }
    }
}

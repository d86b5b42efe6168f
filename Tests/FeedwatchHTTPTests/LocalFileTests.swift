import FeedwatchHTTP
import Foundation
import Testing

/// `file://` URLs and plain paths are read without libcurl.
struct LocalFileTests {
    private let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("fw-http-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    private func write(_ name: String, _ bytes: Data) throws -> String {
        let url = directory.appendingPathComponent(name)
        try bytes.write(to: url)
        return url.path
    }

    @Test("file URLs and plain paths return the file", arguments: [true, false])
    func readsFile(asURL: Bool) async throws {
        let content = Data("<rss version=\"2.0\"/>".utf8)
        let path = try write("local feed.xml", content)
        let url = asURL ? "file://" + path.replacingOccurrences(of: " ", with: "%20") : path
        let transport = CurlTransport()
        let response = try await transport.send(HTTPRequest(url: url))
        #expect(response.status == 200)
        #expect(response.body == content)
        #expect(response.finalURL == url)
        #expect(response.headers.lastModified != nil)
        await transport.shutdown()
    }

    @Test("an unchanged local file re-polls as 304")
    func notModified() async throws {
        let path = try write("feed.xml", Data("x".utf8))
        let transport = CurlTransport()
        let first = try await transport.send(HTTPRequest(url: path))
        let second = try await transport.send(HTTPRequest(url: path, validators: first.headers.validators))
        #expect(second.status == 304)
        #expect(second.body.isEmpty)
        await transport.shutdown()
    }

    @Test func missingFileIsAFileError() async throws {
        let transport = CurlTransport()
        let path = directory.appendingPathComponent("absent.xml").path
        let error = await #expect(throws: HTTPError.self) { try await transport.send(HTTPRequest(url: path)) }
        #expect(error?.kind == .file)
        #expect(error?.description == "fetch: \(path): cannot open: No such file or directory")
        let dirError = await #expect(throws: HTTPError.self) {
            try await transport.send(HTTPRequest(url: directory.path))
        }
        #expect(dirError?.kind == .file)
        await transport.shutdown()
    }

    @Test func oversizeFileIsTooLarge() async throws {
        let path = try write("big.xml", Data(count: 2_000))
        let transport = CurlTransport()
        let error = await #expect(throws: HTTPError.self) {
            try await transport.send(HTTPRequest(url: path, maxBodyBytes: 1_999))
        }
        #expect(error?.kind == .tooLarge)
        let exact = try await transport.send(HTTPRequest(url: path, maxBodyBytes: 2_000))
        #expect(exact.body.count == 2_000)
        await transport.shutdown()
    }
}

import FeedwatchHTTP
import Foundation
import Testing

/// One URL policy for every reader of a feed location: the fetcher and `feedwatch parse`.
struct RequestTargetTests {
    static let targets: [(String, RequestTarget)] = [
        ("https://Example.ORG/feed.xml", .http(hostKey: "https://example.org")),
        ("http://user:pw@host:8080/a?b", .http(hostKey: "http://host:8080")),
        ("/var/feeds/a.xml", .file(path: "/var/feeds/a.xml")),
        ("file:///var/feeds/a%20b.xml", .file(path: "/var/feeds/a b.xml")),
        ("file://localhost/var/a.xml", .file(path: "/var/a.xml")),
        ("file://evilhost/tmp/x", .invalid(reason: "file URL must name a local absolute path")),
        ("file:relative.xml", .file(path: "file:relative.xml")),
        ("ftp://x/y", .invalid(reason: "unsupported scheme \"ftp\" (only http, https and file)")),
        ("gopher://h/", .invalid(reason: "unsupported scheme \"gopher\" (only http, https and file)")),
        ("https:///feed", .invalid(reason: "no host in URL")),
        ("", .invalid(reason: "empty URL")),
    ]

    @Test(arguments: targets)
    func classifies(_ url: String, _ expected: RequestTarget) {
        #expect(RequestTarget(url) == expected)
    }

    /// The built `feedwatch` executable, beside the test bundle in the build directory.
    static var binary: String? {
        var dirs: [URL] = []
        if let exe = Bundle.main.executableURL { dirs.append(exe.deletingLastPathComponent()) }
        dirs.append(Bundle.main.bundleURL.deletingLastPathComponent())
        dirs.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        return dirs.map { $0.appendingPathComponent("feedwatch").path }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs `feedwatch parse <source>`: exit status and stderr.
    static func parse(_ source: String) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(binary, "feedwatch binary not built"))
        process.arguments = ["parse", source]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let data = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test("feedwatch parse refuses what the fetcher refuses, with the fetcher's one-line message", arguments: [
        "file://evilhost/tmp/x", "ftp://x/y", "gopher://h/", "https:///feed",
        "file:///nonexistent-\(UUID().uuidString)/feed.xml", "/nonexistent-\(UUID().uuidString).xml",
    ])
    func parseCommandMatchesTheFetcher(_ source: String) async throws {
        let transport = CurlTransport()
        let error = await #expect(throws: HTTPError.self) { try await transport.send(HTTPRequest(url: source)) }
        await transport.shutdown()
        let (status, stderr) = try Self.parse(source)
        #expect(status == 1)
        #expect(stderr == "feedwatch: \(try #require(error).description)\n")
        #expect(stderr.contains(source))
    }

    @Test("feedwatch parse reads file:// and file://localhost URLs like the fetcher")
    func parseCommandReadsFileURLs() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fw-parse-\(UUID().uuidString).xml").path
        try Data("<rss version=\"2.0\"><channel><title>t</title></channel></rss>".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        for source in [path, "file://" + path, "file://localhost" + path] {
            let (status, stderr) = try Self.parse(source)
            #expect(status == 0, "\(source): \(stderr)")
        }
    }
}

import FeedwatchConfig
import Foundation
import Testing

/// `store:`: SQLite by default, a PostgreSQL URL whose password lives in a file.
@Suite struct ConfigStoreTests {
    static let base = """
        sources:
          - url: https://example.org/feed.xml
        sinks:
          - type: file
            path: alerts.jsonl

        """

    func parse(_ yaml: String) throws -> Config {
        try Config.parse(yaml: Self.base + yaml, file: "/etc/feedwatch/feedwatch.yaml", displayName: "feedwatch.yaml",
                         environment: [:])
    }

    func problems(_ yaml: String) -> [String] { configProblems { try parse(yaml) } }

    @Test func sqliteIsTheDefault() throws {
        #expect(try parse("").store == .sqlite)
        #expect(try parse("store: {url: sqlite}").store == .sqlite)
    }

    @Test func postgresqlURLWithPasswordFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fw-store-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = (dir as NSString).appendingPathComponent("pg.pass")
        try "s3cret\n".write(toFile: file, atomically: true, encoding: .utf8)
        let c = try parse("store: {url: \"postgresql://fw@db.internal:5432/feedwatch\", password_file: \(file)}")
        guard case .postgresql(let pg) = c.store else { Issue.record("not postgresql: \(c.store)"); return }
        #expect(pg.url == "postgresql://fw@db.internal:5432/feedwatch")
        #expect(pg.password?.value == "s3cret")
        #expect(!"\(c.store)".contains("s3cret"))
    }

    @Test func refusals() {
        #expect(problems("store: {url: \"mysql://x/y\"}")
                == ["feedwatch.yaml:6:14: store.url must be postgresql://… or sqlite"])
        #expect(problems("store: {url: \"postgresql://fw:hunter2@db/feedwatch\"}")
                == ["feedwatch.yaml:6:14: store.url must not hold the password: put it in store.password_file"])
        #expect(problems("store: {url: \"postgresql://fw@db/f\", password_file: /nonexistent/pw}").first?
                    .hasPrefix("feedwatch.yaml:6:53: cannot read store.password_file /nonexistent/pw") == true)
        #expect(problems("store: {uri: x}").joined().contains("unknown key 'uri' in store (did you mean 'url'?)"))
        #expect(PostgreSQLStoreConfig.redact("postgresql://a:b@h/d") == "postgresql://a:***@h/d")
    }
}

import Foundation
@testable import FeedwatchPostgres
import Testing

/// The PostgreSQL the tests run against: `FEEDWATCH_TEST_PG_URL` (set by `scripts/pg run …`).
/// Without it the suites are skipped with a note saying so, except under CI (`CI=true`), where
/// they run and fail: a CI that silently skipped them would prove nothing.
enum TestDatabase {
    static let url = ProcessInfo.processInfo.environment["FEEDWATCH_TEST_PG_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"
    static let enabled = url != nil || isCI
    static let skipNote: Comment = "FEEDWATCH_TEST_PG_URL is not set: run `scripts/pg run swift test --filter Postgres`"

    struct Missing: Error, CustomStringConvertible {
        var description: String { "CI=true but FEEDWATCH_TEST_PG_URL is not set: the PostgreSQL tests must run in CI" }
    }

    /// A URL whose connections work in a schema of their own, created empty: tests do not see
    /// each other's rows.
    static func fresh() throws -> String {
        guard let url else { throw Missing() }
        let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        let admin = try PGConnection(url: url, password: nil, location: url)
        try admin.exec("CREATE SCHEMA \(schema)")
        return url + (url.contains("?") ? "&" : "?") + "options=-csearch_path%3D\(schema)"
    }

    /// Runs `body` on a thread of its own: it blocks (on a row lock, a sleep), and blocking the
    /// cooperative pool would stall the other tests.
    static func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
        }
    }
}

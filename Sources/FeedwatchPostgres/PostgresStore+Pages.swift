import FeedwatchStore
import Foundation

/// Article pages and the per-host daily budget, shared by every instance: a budget taken by one
/// instance is spent for all, so several instances together stay within it.
extension PostgresStore {
    public func page(url: String) throws -> StoredPage? {
        try locked {
            try connection.queryOne("""
                SELECT host, fetched_at, etag, last_modified, title, text, failure FROM pages WHERE url = $1
                """, [.text(url)]) { r in
                StoredPage(url: url, host: r.string(0) ?? "", fetchedAt: r.date(1) ?? Date(timeIntervalSince1970: 0),
                           etag: r.string(2), lastModified: r.string(3), title: r.string(4), text: r.string(5),
                           failure: r.string(6))
            }
        }
    }

    public func savePage(_ page: StoredPage) throws {
        try locked {
            _ = try connection.run("""
                INSERT INTO pages(url, host, fetched_at, etag, last_modified, title, text, failure)
                VALUES($1, $2, $3, $4, $5, $6, $7, $8)
                ON CONFLICT(url) DO UPDATE SET host = excluded.host, fetched_at = excluded.fetched_at,
                    etag = excluded.etag, last_modified = excluded.last_modified, title = excluded.title,
                    text = excluded.text, failure = excluded.failure
                """, [.text(page.url), .text(page.host), .date(page.fetchedAt), .string(page.etag),
                      .string(page.lastModified), .string(page.title), .string(page.text), .string(page.failure)])
        }
    }

    public func takePageBudget(host: String, at: Date, limit: Int) throws -> Bool {
        guard limit > 0 else { return false }
        let day = Int64(floor(at.timeIntervalSince1970 / 86400))
        // One statement decides: the row is created or incremented only while under the limit, so
        // two instances taking the last request at once cannot both get it.
        return try locked {
            try connection.queryOne("""
                INSERT INTO page_budget(host, day, requests) VALUES($1, $2, 1)
                ON CONFLICT(host, day) DO UPDATE SET requests = page_budget.requests + 1
                WHERE page_budget.requests < $3
                RETURNING requests
                """, [.text(host), .int(day), .int(Int64(limit))]) { $0.int(0) } != nil
        }
    }

    @discardableResult
    public func prunePages(before: Date, now: Date) throws -> Int {
        let today = Int64(floor(now.timeIntervalSince1970 / 86400))
        return try transaction {
            try locked {
                _ = try connection.run("DELETE FROM page_budget WHERE day < $1", [.int(today - 1)])
                return try connection.run("DELETE FROM pages WHERE fetched_at < $1", [.date(before)])
            }
        }
    }
}

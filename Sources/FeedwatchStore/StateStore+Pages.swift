import Foundation

/// An article page as last read: its extracted text, or why it has none, and the validators
/// to ask the site again cheaply.
public struct StoredPage: Sendable, Equatable {
    public var url: String
    public var host: String
    public var fetchedAt: Date
    public var etag: String?
    public var lastModified: String?
    public var title: String?
    /// The article text; nil when the page failed (`failure` says why).
    public var text: String?
    public var failure: String?

    public init(url: String, host: String, fetchedAt: Date, etag: String? = nil, lastModified: String? = nil,
                title: String? = nil, text: String? = nil, failure: String? = nil) {
        self.url = url
        self.host = host
        self.fetchedAt = fetchedAt
        self.etag = etag
        self.lastModified = lastModified
        self.title = title
        self.text = text
        self.failure = failure
    }
}

extension StateStore {
    /// The page stored under canonical `url`, if any.
    public func page(url: String) throws -> StoredPage? {
        try locked {
            try connection.queryOne("""
                SELECT host, fetched_at, etag, last_modified, title, text, failure FROM pages WHERE url = ?
                """, [.text(url)]) { row in
                StoredPage(url: url, host: row.string(0) ?? "", fetchedAt: row.date(1) ?? Date(timeIntervalSince1970: 0),
                           etag: row.string(2), lastModified: row.string(3), title: row.string(4), text: row.string(5),
                           failure: row.string(6))
            }
        }
    }

    /// Stores (or replaces) a page.
    public func savePage(_ page: StoredPage) throws {
        try locked {
            _ = try connection.run("""
                INSERT OR REPLACE INTO pages(url, host, fetched_at, etag, last_modified, title, text, failure)
                VALUES(?,?,?,?,?,?,?,?)
                """, [.text(page.url), .text(page.host), .date(page.fetchedAt), .string(page.etag),
                      .string(page.lastModified), .string(page.title), .string(page.text), .string(page.failure)])
        }
    }

    /// Takes one request from `host`'s budget for the UTC day of `at`: false (and nothing
    /// taken) when `limit` requests were already made that day.
    public func takePageBudget(host: String, at: Date, limit: Int) throws -> Bool {
        let day = Int64(floor(at.timeIntervalSince1970 / 86400))
        return try transaction {
            try locked {
                let used = try connection.queryOne("SELECT requests FROM page_budget WHERE host = ? AND day = ?",
                                                   [.text(host), .integer(day)]) { $0.int(0) } ?? 0
                guard used < limit else { return false }
                _ = try connection.run("""
                    INSERT INTO page_budget(host, day, requests) VALUES(?1, ?2, 1)
                    ON CONFLICT(host, day) DO UPDATE SET requests = requests + 1
                    """, [.text(host), .integer(day)])
                return true
            }
        }
    }

    /// Deletes pages read before `before` and budget days that are over.
    @discardableResult
    public func prunePages(before: Date, now: Date) throws -> Int {
        let today = Int64(floor(now.timeIntervalSince1970 / 86400))
        return try transaction {
            try locked {
                _ = try connection.run("DELETE FROM page_budget WHERE day < ?", [.integer(today - 1)])
                return try connection.run("DELETE FROM pages WHERE fetched_at < ?", [.date(before)])
            }
        }
    }
}

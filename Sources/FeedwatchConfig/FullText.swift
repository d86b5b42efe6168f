import Foundation

/// When the daemon reads the article page behind an entry's link (a source's `full_text`).
public enum FullTextMode: String, Sendable, Equatable, CaseIterable {
    /// Only for an entry whose feed text is short or cut off and that some topic could still
    /// match: the feed carries a teaser and the story may be on the page.
    case auto
    /// For every new entry some topic could still match, whatever its feed text.
    case always
    /// Never: the feed's text is all feedwatch reads.
    case never
}

/// Bounds on article-page fetching (`full_text:` at the top of the config): a feed of teasers
/// must not turn feedwatch into a crawler.
public struct FullTextLimits: Sendable, Equatable {
    /// Page transfers in flight at once, all hosts together.
    public var concurrency = 4
    /// Page transfers in flight at once to one host.
    public var perHost = 2
    /// A larger page is abandoned (the alert keeps the feed text).
    public var maxPageBytes = 5 * 1024 * 1024
    /// Longest a page may take, connection included: the longest an alert waits for its page.
    public var timeout: TimeInterval = 10
    /// Page requests (robots.txt not counted) per host per rolling day.
    public var dailyPerHost = 200
    /// Extracted text younger than this is reused without asking the site again; older text
    /// is revalidated with a conditional GET. Kept for `retention.stories` in all.
    public var recheck: TimeInterval = 6 * 3600
    /// Feed text under this many words is a teaser (`auto`).
    public var teaserWords = 60

    public init() {}
}

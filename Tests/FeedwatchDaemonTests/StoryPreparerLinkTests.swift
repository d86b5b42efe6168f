@testable import FeedwatchDaemon
import Testing

/// Only a web link has a page behind it worth reading (`full_text`).
@Suite struct StoryPreparerLinkTests {
    @Test func webLinksAreHTTPOrHTTPSInAnyCase() {
        for yes in ["http://a.example/x", "https://a.example/", "HTTPS://A.EXAMPLE", "Http://a"] {
            #expect(StoryPreparer.isWebLink(yes), "\(yes)")
        }
        for no in [nil, "", "http", "https:", "http:/a", "https//a", "ftp://a", "file:///etc/passwd",
                   "javascript:alert(1)", "httpx://a", " http://a", "mailto:a@b"] as [String?] {
            #expect(!StoryPreparer.isWebLink(no), "\(no ?? "nil")")
        }
    }
}

import FeedwatchDaemon
import FeedwatchModel
import FeedwatchStore
import FeedwatchTestSupport
import FeedwatchText
import Foundation
import Testing

/// `full_text: auto` end to end on 127.0.0.1: teaser feeds link to article pages on the same
/// server, which counts every request.
@Suite(.serialized) struct FullTextEndToEndTests {
    /// Both a place and a security subject are required: a teaser with only one of them cannot
    /// match on its own text, but may once the page is read.
    static let watchlist = """
    topics:
      sahel:
        threshold: 4
        require:
          - any: [Mali, Mopti, Sevare, Segou, Niger]
          - any: [attack*, soldier*, gunmen, killed]
        terms:
          Mali: 2
          Mopti: 1
          Segou: 1
          attack*: 1
          soldier*: 1
          gunmen: 1
    """

    struct Teaser {
        var guid: String
        var title: String
        var summary: String
        var link: String
    }

    static func rss(_ items: [Teaser]) -> String {
        var s = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel><title>Teasers</title>"
        s += "<link>https://example.org/</link><language>en</language>"
        for i in items {
            s += "<item><title>\(i.title)</title><link>\(i.link)</link><guid>\(i.guid)</guid>"
            s += "<pubDate>\(E2E.rfc822(Date().addingTimeInterval(-600)))</pubDate>"
            s += "<description><![CDATA[<p>\(i.summary)</p>]]></description></item>"
        }
        return s + "</channel></rss>\n"
    }

    /// An agency story inside a news site's chrome, written for these tests.
    static func articlePage(title: String, paragraphs: [String], charset: String? = "utf-8") -> String {
        var s = "<!DOCTYPE html><html lang=\"en\"><head>"
        if let charset { s += "<meta charset=\"\(charset)\">" }
        s += "<title>\(title) | The Daily Courier</title></head><body>"
        s += "<a class=\"skip-link\" href=\"#main\">Skip to content</a>"
        s += "<nav><ul><li><a href=\"/\">Home</a></li><li><a href=\"/world\">World</a></li><li><a href=\"/sport\">Sport</a></li></ul></nav>"
        s += "<main id=\"main\"><article><h1>\(title)</h1><div class=\"byline\">By Staff Writer</div>"
        s += "<div class=\"share-bar\">Share on Facebook Share on X Email</div><div class=\"article-body\">"
        for p in paragraphs { s += "<p>\(p)</p>" }
        s += "</div><p class=\"comment-count\">Comment count on this article reflects comments made on the Courier and "
        s += "its Facebook page. Visit the Courier's Facebook Page.</p></article>"
        s += "<aside class=\"related\"><h2>Related</h2><ul><li><a href=\"/a\">Football cup final tonight</a></li></ul></aside>"
        s += "</main><footer>© 2026 The Daily Courier</footer></body></html>"
        return s
    }

    static let lede = "Dozens of gunmen on motorcycles stormed an army camp overnight, officials said"
    static let sahelParagraphs = [
        lede + ", in an assault that local security sources described as one of the deadliest this year.",
        "At least fourteen Malian soldiers were killed when the attackers struck the camp at Sevare, near the central "
            + "city of Mopti, shortly after midnight on Tuesday, two security sources told reporters.",
        "The army said in a statement that it had repelled the attack after several hours of fighting and that "
            + "reinforcements and aircraft had been sent from the capital, Bamako.",
        "No group immediately claimed responsibility, but jihadists linked to al-Qaeda have staged repeated raids "
            + "on military posts across central Mali since the start of the rainy season.",
    ]

    static func config(_ e2e: E2E, feed: String, extraSources: String = "", fullText: String = "") throws -> String {
        try e2e.write("watchlist.yaml", watchlist)
        var y = "watchlist: watchlist.yaml\nstate_dir: state\nsources:\n"
        y += "  - {name: \"Teasers\", url: \"\(feed)\"}\n" + extraSources
        y += "sinks:\n  - {type: file, path: alerts.jsonl}\n"
        y += "limits: {timeout: 5s, connect_timeout: 1s, max_body: 1MiB}\n"
        y += "full_text: {timeout: 1500ms, max_page: 256KiB\(fullText)}\n"
        return try e2e.write("feedwatch.yaml", y)
    }

    @Test func aStoryVisibleOnlyInItsPageAlertsOnceAndAnUnrelatedTeaserFetchesNothing() async throws {
        let e2e = try E2E()
        defer { e2e.cleanup() }
        let server = try LoopbackHTTPServer { req in
            switch req.path {
            case "/robots.txt": return .ok("User-agent: *\nDisallow: /private/\n", contentType: "text/plain")
            case "/teasers.rss":
                return .ok(Self.rss([
                    Teaser(guid: "t-sahel", title: "Army camp stormed overnight", summary: Self.lede + "…",
                           link: "/news/camp-attack"),
                    Teaser(guid: "t-bread", title: "Family bakery wins regional bread prize",
                           summary: "A family bakery took first place at the regional fair…", link: "/news/bakery"),
                ]).replacingOccurrences(of: "<link>/", with: "<link>http://127.0.0.1:\(req.header("host")?.split(separator: ":").last ?? "0")/"))
            case "/copies.rss":
                return .ok(Self.rss([
                    Teaser(guid: "c-sahel", title: "Army camp stormed overnight", summary: Self.lede + "…",
                           link: "/other/camp-attack"),
                ]).replacingOccurrences(of: "<link>/", with: "<link>http://127.0.0.1:\(req.header("host")?.split(separator: ":").last ?? "0")/"))
            case "/news/camp-attack", "/other/camp-attack":
                return .ok(Self.articlePage(title: "Army camp stormed overnight", paragraphs: Self.sahelParagraphs),
                           contentType: "text/html; charset=utf-8")
            case "/news/bakery":
                return .ok(Self.articlePage(title: "Bakery", paragraphs: ["Bread."]), contentType: "text/html")
            default: return .status(404)
            }
        }
        defer { server.stop() }
        let first = try Self.config(e2e, feed: server.baseURL + "/teasers.rss")
        do {
            let daemon = try await e2e.daemon(first)
            let (report, _) = await daemon.runOnce()
            #expect(report.alerts == 1)
            let alerts = e2e.loggedAlerts()
            #expect(alerts.count == 1)
            let alert = try #require(alerts.first)
            #expect(alert.textSource == "page")
            #expect(alert.textNote == nil)
            #expect(alert.title == "Army camp stormed overnight")
            // The page's text was read through the shared boilerplate rules: no chrome in it.
            let page = try #require(try daemon.stateStore.page(url: LinkCanonicalizer.canonical(server.baseURL + "/news/camp-attack")))
            #expect(page.text?.contains("Sevare") == true)
            #expect(page.text?.contains("Comment count") == false)
            #expect(page.text?.contains("Skip to content") == false)
            #expect(page.text?.contains("Football") == false)
            #expect(try daemon.stateStore.counter("pages.fetched") == 1)
        }
        let paths = server.requests.map(\.path)
        #expect(paths.filter { $0 == "/news/camp-attack" }.count == 1)
        #expect(!paths.contains("/news/bakery"))          // no topic could match the bakery teaser
        #expect(paths.filter { $0 == "/robots.txt" }.count == 1)

        // Again, and with a second outlet carrying the same teaser: nothing new alerts, the seen
        // teaser's page is not read again, and the copy of the alerted story reads no page.
        let second = try Self.config(e2e, feed: server.baseURL + "/teasers.rss",
                                     extraSources: "  - {name: \"Copies\", url: \"\(server.baseURL)/copies.rss\"}\n")
        let daemon = try await e2e.daemon(second)
        let (report, _) = await daemon.runOnce()
        #expect(report.alerts == 0)
        #expect(e2e.loggedAlerts().count == 1)
        let after = server.requests.map(\.path)
        #expect(after.filter { $0 == "/news/camp-attack" }.count == 1)
        #expect(!after.contains("/other/camp-attack"))
        #expect(try daemon.stateStore.counter("pages.skipped_copies") == 1)
    }

    enum Failure: String, CaseIterable, Sendable {
        case stall, huge, redirectLoop, forbidden, robots
    }

    @Test(arguments: Failure.allCases)
    func aPageThatFailsLeavesTheAlertOnFeedText(_ failure: Failure) async throws {
        let e2e = try E2E()
        defer { e2e.cleanup() }
        let path = failure == .robots ? "/private/story" : "/news/story"
        let server = try LoopbackHTTPServer { req in
            switch req.path {
            case "/robots.txt": return .ok("User-agent: feedwatch\nDisallow: /private/\n\nUser-agent: *\nDisallow: /\n",
                                           contentType: "text/plain")
            case "/teasers.rss":
                let port = req.header("host")?.split(separator: ":").last ?? "0"
                return .ok(Self.rss([Teaser(guid: "f-1", title: "Gunmen attack soldiers near Mopti in central Mali",
                                            summary: "Gunmen attacked an army post near Mopti on Tuesday…",
                                            link: "http://127.0.0.1:\(port)\(path)")]))
            case path:
                switch failure {
                case .stall: return .stall
                case .huge: return .endless(contentType: "text/html")
                case .redirectLoop: return .redirect(to: path)
                case .forbidden: return .status(403, "Subscribe to read this article")
                case .robots: return .ok(Self.articlePage(title: "Secret", paragraphs: Self.sahelParagraphs),
                                         contentType: "text/html")
                }
            default: return .status(404)
            }
        }
        defer { server.stop() }
        let daemon = try await e2e.daemon(try Self.config(e2e, feed: server.baseURL + "/teasers.rss"))
        let started = ContinuousClock.now
        let (report, _) = await daemon.runOnce()
        let took = ContinuousClock.now - started
        #expect(report.alerts == 1)
        let alert = try #require(e2e.loggedAlerts().first)
        #expect(alert.textSource == "feed")
        let note = alert.textNote ?? ""
        switch failure {
        case .stall: #expect(note.contains("timeout"))
        case .huge: #expect(note.contains("larger"))
        case .redirectLoop: #expect(note.contains("redirect"))
        case .forbidden: #expect(note.contains("403"))
        case .robots: #expect(note.contains("robots.txt"))
        }
        // The page's deadline (1.5 s) bounds the wait, whatever the page does.
        #expect(took < .seconds(5))
        let paths = server.requests.map(\.path)
        if failure == .robots {
            #expect(!paths.contains(path))
            #expect(try daemon.stateStore.counter("pages.robots_denied") == 1)
        } else {
            #expect(paths.contains(path))
            #expect(try daemon.stateStore.counter("pages.failed") == 1)
        }
    }

    @Test(arguments: [true, false])
    func windows1252PagesExtractCleanly(declaredInMeta: Bool) async throws {
        let e2e = try E2E()
        defer { e2e.cleanup() }
        var paragraphs = Self.sahelParagraphs
        paragraphs[1] = "Gunmen also killed three soldiers at a checkpoint outside S\u{E9}gou, a regional official said, "
            + "and the army said its \u{AB} ripostes \u{BB} would continue."
        let html = Self.articlePage(title: "Army camp stormed overnight", paragraphs: paragraphs,
                                    charset: declaredInMeta ? "windows-1252" : nil)
        let bytes = Data(html.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) })   // Latin-1 range only
        let server = try LoopbackHTTPServer { req in
            switch req.path {
            case "/teasers.rss":
                let port = req.header("host")?.split(separator: ":").last ?? "0"
                return .ok(Self.rss([Teaser(guid: "w-1", title: "Army camp stormed overnight", summary: Self.lede + "…",
                                            link: "http://127.0.0.1:\(port)/news/cp1252")]))
            case "/news/cp1252":
                let type = declaredInMeta ? "text/html" : "text/html; charset=windows-1252"
                return TestHTTPResponse(status: 200, headers: [("Content-Type", type)], body: bytes)
            default: return .status(404)
            }
        }
        defer { server.stop() }
        let daemon = try await e2e.daemon(try Self.config(e2e, feed: server.baseURL + "/teasers.rss"))
        let (report, _) = await daemon.runOnce()
        #expect(report.alerts == 1)
        #expect(e2e.loggedAlerts().first?.textSource == "page")
        let page = try #require(try daemon.stateStore.page(url: LinkCanonicalizer.canonical(server.baseURL + "/news/cp1252")))
        let text = try #require(page.text)
        #expect(text.contains("outside S\u{E9}gou"))
        #expect(text.contains("\u{AB} ripostes \u{BB}"))
        #expect(!text.contains("\u{FFFD}"))
    }
}

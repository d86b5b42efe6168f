import FeedwatchHTTP
import Testing

/// `RobotsTxt`: RFC 9309 groups, longest match, `*` and `$`.
@Suite struct RobotsTxtTests {
    @Test func theCrawlersOwnGroupReplacesTheStarGroup() {
        let text = """
        # comments and unknown lines are ignored
        User-agent: *
        Disallow: /

        User-agent: otherbot
        User-agent: FeedWatch
        Disallow: /private/   # trailing comment
        Crawl-delay: 10
        Sitemap: https://example.org/sitemap.xml

        User-agent: feedwatch
        Disallow: /drafts
        """
        let r = RobotsTxt(text, agent: "feedwatch")
        #expect(r.allows("/news/a"))
        #expect(!r.allows("/private/x"))
        #expect(!r.allows("/drafts/1"))                              // groups for one agent merge
        #expect(!RobotsTxt(text, agent: "somebot").allows("/news/a"))   // the star group
        #expect(!RobotsTxt(text, agent: "otherbot").allows("/private/x"))
    }

    @Test func theLongestMatchWinsAndAllowWinsATie() {
        let r = RobotsTxt("""
        User-agent: *
        Disallow: /news/
        Allow: /news/public/
        Allow: /page
        Disallow: /page
        Disallow:
        """, agent: "feedwatch")
        #expect(!r.allows("/news/a"))
        #expect(r.allows("/news/public/a"))
        #expect(r.allows("/page"))
        #expect(r.allows("/other"))
        #expect(r.allows("/robots.txt"))
    }

    @Test func wildcardsAndEndAnchors() {
        let r = RobotsTxt("""
        user-agent: *
        disallow: /*.pdf$
        disallow: /*?print=
        disallow: /a*b*c
        allow: /keep$
        disallow: /keep
        """, agent: "feedwatch")
        #expect(!r.allows("/files/x.pdf"))
        #expect(r.allows("/files/x.pdf?download=1"))                // `$` anchors the end
        #expect(!r.allows("/story?print=1"))
        #expect(r.allows("/story?id=3&print=1"))
        #expect(!r.allows("/a-x-b-y-c-z"))
        #expect(r.allows("/a-x-c-y-b"))
        #expect(r.allows("/keep"))
        #expect(!r.allows("/keeper"))
    }

    @Test func percentEncodingComparesAlikeAndEmptyFilesAllowAll() {
        let r = RobotsTxt("User-agent: *\nDisallow: /caf%C3%A9/\nDisallow: /%7Euser/\n", agent: "feedwatch")
        #expect(!r.allows("/café/menu"))
        #expect(!r.allows("/caf%c3%a9/menu"))
        #expect(!r.allows("/~user/home"))
        #expect(RobotsTxt("", agent: "feedwatch").allows("/anything"))
        #expect(RobotsTxt("garbage without colons\n\u{0}\u{1}", agent: "feedwatch").allows("/x"))
        #expect(!RobotsTxt.disallowAll.allows("/x"))
        #expect(RobotsTxt.allowAll.allows("/x"))
        // Rules before any user-agent line belong to no group.
        #expect(RobotsTxt("Disallow: /\nUser-agent: *\nAllow: /\n", agent: "feedwatch").allows("/x"))
    }
}

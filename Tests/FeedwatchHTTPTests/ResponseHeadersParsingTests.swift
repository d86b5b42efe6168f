import Foundation
import Testing
@testable import FeedwatchHTTP

struct ResponseHeadersParsingTests {
    private let now = Date(timeIntervalSince1970: 1_700_000_000)

    private func parse(_ lines: [String]) -> ResponseHeaders {
        var headers = ResponseHeaders()
        for line in lines { headers.absorb(line: line[...], receivedAt: now) }
        return headers
    }

    @Test func validatorsAreKeptVerbatim() {
        let h = parse(["ETag: W/\"abc-123\"", "last-modified:  Sun, 06 Nov 1994 08:49:37 GMT  "])
        #expect(h.validators == Validators(etag: "W/\"abc-123\"", lastModified: "Sun, 06 Nov 1994 08:49:37 GMT"))
    }

    @Test func namesMatchCaseInsensitivelyAndExactly() {
        let h = parse(["CONTENT-TYPE: text/xml", "X-ETag: nope", "ETagged: nope", "etag", "Etag:\t\"v\"\t\r\n"])
        #expect(h.contentType == "text/xml")
        #expect(h.etag == "\"v\"")
    }

    @Test("Cache-Control max-age", arguments: [
        ("max-age=300", 300), ("public, max-age=60, must-revalidate", 60), ("s-maxage=10, max-age=\"20\"", 20),
        ("no-cache", nil), ("max-age=-5", nil), ("max-age=abc", nil),
    ] as [(String, Int?)])
    func maxAge(value: String, expected: Int?) {
        #expect(parse(["Cache-Control: \(value)"]).maxAge == expected)
    }

    @Test("Content-Type charset", arguments: [
        ("application/rss+xml; charset=UTF-8", "utf-8"), ("text/xml;charset=\"ISO-8859-1\"", "iso-8859-1"),
        ("text/xml; q=1; Charset=windows-1252", "windows-1252"), ("application/atom+xml", nil),
    ] as [(String, String?)])
    func charset(value: String, expected: String?) {
        let h = parse(["Content-Type: \(value)"])
        #expect(h.contentType == value)
        #expect(h.charset == expected)
    }

    @Test func retryAfterSecondsIsRelativeToReceipt() {
        #expect(parse(["Retry-After: 120"]).retryAfter == now.addingTimeInterval(120))
    }

    @Test func retryAfterDateIsAbsolute() {
        #expect(parse(["Retry-After: Sun, 06 Nov 1994 08:49:37 GMT"]).retryAfter
                == Date(timeIntervalSince1970: 784_111_777))
        #expect(parse(["Retry-After: soon"]).retryAfter == nil)
    }

    @Test func invalidExpiresMeansExpired() {
        #expect(parse(["Expires: 0"]).expires == Date(timeIntervalSince1970: 0))
        #expect(parse(["Expires: Sun, 06 Nov 1994 08:49:37 GMT"]).expires == Date(timeIntervalSince1970: 784_111_777))
    }

    @Test("request targets", arguments: [
        ("http://Example.com/feed", RequestTarget.http(hostKey: "http://example.com")),
        ("https://user:pw@example.com:8443?x", .http(hostKey: "https://example.com:8443")),
        ("file:///tmp/a%20b.xml", .file(path: "/tmp/a b.xml")),
        ("file://localhost/tmp/x.xml", .file(path: "/tmp/x.xml")),
        ("feeds/local.xml", .file(path: "feeds/local.xml")),
        ("file://remote/x", .invalid(reason: "file URL must name a local absolute path")),
        ("ftp://example.com/x", .invalid(reason: "unsupported scheme \"ftp\" (only http, https and file)")),
        ("http:///x", .invalid(reason: "no host in URL")),
    ])
    func targets(url: String, expected: RequestTarget) {
        #expect(RequestTarget(url) == expected)
    }
}

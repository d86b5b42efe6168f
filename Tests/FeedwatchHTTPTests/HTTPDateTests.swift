import Foundation
import Testing
@testable import FeedwatchHTTP

struct HTTPDateTests {
    // 784111777 = Sun, 06 Nov 1994 08:49:37 GMT (the RFC 9110 example).
    @Test("accepts the three HTTP-date forms", arguments: [
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "06 Nov 1994 08:49:37 GMT",
        "Mon, 06 Nov 1994 08:49:37 GMT",          // wrong weekday: servers get it wrong, the date stands
    ])
    func parsesForms(text: String) {
        #expect(HTTPDate.parse(text) == Date(timeIntervalSince1970: 784_111_777))
    }

    @Test("rejects what is not an HTTP-date", arguments: [
        "", "0", "-1", "yesterday", "Sun, 06 Nov 1994", "Sun, 32 Nov 1994 08:49:37 GMT",
        "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 +0200",
    ])
    func rejects(text: String) {
        #expect(HTTPDate.parse(text) == nil)
    }

    @Test("two-digit years pivot at 70")
    func twoDigitYears() throws {
        let early = try #require(HTTPDate.parse("Thursday, 01-Jan-70 00:00:00 GMT"))
        let late = try #require(HTTPDate.parse("Wednesday, 01-Jan-69 00:00:00 GMT"))
        #expect(early == Date(timeIntervalSince1970: 0))
        #expect(HTTPDate.format(late) == "Tue, 01 Jan 2069 00:00:00 GMT")
    }

    @Test("format round-trips through parse", arguments: [0, 784_111_777, 951_782_400, 1_700_000_000, 4_102_444_799])
    func roundTrip(seconds: Int) throws {
        let date = Date(timeIntervalSince1970: TimeInterval(seconds))
        let text = HTTPDate.format(date)
        #expect(try #require(HTTPDate.parse(text)) == date)
    }

    @Test func formatsIMFFixdate() {
        #expect(HTTPDate.format(Date(timeIntervalSince1970: 784_111_777)) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.format(Date(timeIntervalSince1970: 951_782_400)) == "Tue, 29 Feb 2000 00:00:00 GMT")
    }
}

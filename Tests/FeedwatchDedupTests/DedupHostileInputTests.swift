import Foundation
import Testing
import FeedwatchDedup
import FeedwatchModel
@testable import FeedwatchText

/// Inputs a hostile or careless publisher sends (issue 15): each is handled in bounded time and
/// loses no story.
@Suite("Dedup: hostile input")
struct DedupHostileInputTests {
    /// Seconds `body` takes.
    private func seconds(_ body: () -> Void) -> Double {
        let start = Date()
        body()
        return Date().timeIntervalSince(start)
    }

    /// Whether the work grows linearly: four times the input costs well under sixteen times the
    /// time (what a quadratic pass costs). Debug builds are too slow for the absolute
    /// bound (2 s at full size), which release builds are held to as well.
    private func expectLinear(full: Int, _ work: (Int) -> Void) {
        let small = seconds { work(full / 16) }, large = seconds { work(full / 4) }
        #expect(large < max(0.5, 8 * small), "\(full / 16): \(small) s, \(full / 4): \(large) s")
        #if !DEBUG
        let whole = seconds { work(full) }
        #expect(whole < 2, "took \(whole) s")
        #endif
    }

    @Test("A link of hundreds of thousands of trailing slashes is folded in linear time", arguments: [
        "http://e.com/é", "http://e.com/a", "http://e.com/é/ü",
    ])
    func slashes(_ base: String) {
        expectLinear(full: 200_000) { n in
            let link = base + String(repeating: "/", count: n)
            #expect(LinkCanonicalizer.identity(link) == LinkCanonicalizer.identity(base))
            _ = Deduplicator().add(Story(id: "a", title: "Slashes", content: "Text.", link: link), at: Date())
        }
    }

    @Test("Hundreds of thousands of agency credits are stripped in one pass", arguments: ["a(aa)", "(AFP)x ", " (ap) "])
    func credits(_ unit: String) {
        expectLinear(full: 950_000) { n in
            let content = String(repeating: unit, count: n)
            let body = Boilerplate.strip(content)
            #expect(!body.contains("(aa)") && !body.lowercased().contains("(afp)") && !body.contains("(ap)"))
            _ = Deduplicator().add(Story(id: "a", title: "Credits", content: content), at: Date())
        }
    }

    @Test("Credits are removed as before: one space taken, words kept apart", arguments: [
        ("BAMAKO (AFP) - Gunmen attacked", "BAMAKO - Gunmen attacked"),
        ("Bamako(AFP)Gunmen attacked", "Bamako Gunmen attacked"),
        ("Niamey (Reuters) (AFP) – Soldiers", "Niamey – Soldiers"),
        ("Ségou(AA)Élèves", "Ségou Élèves"),
        ("(AP) — Troops", " — Troops"),
    ])
    func creditsKeepWords(_ input: String, _ expected: String) {
        #expect(String(decoding: Boilerplate.stripInline(Array(input.utf8)), as: UTF8.self) == expected)
    }

    static let liveBody = "Residents of the town reported gunfire near the market in the early hours, and the army sent reinforcements from the regional capital."
    static let otherBody = "The regional governor announced a curfew from dusk to dawn and the closure of schools for the rest of the week, officials said."

    @Test("Links that differ only after # or in an ambiguous key are two stories unless their text is one", arguments: [
        ("https://news.example/live#update-12", "https://news.example/live#update-13"),
        ("https://news.example/article?ref=2031", "https://news.example/article?ref=2032"),
        ("https://news.example/story?src=a1", "https://news.example/story?src=b2"),
    ])
    func fragments(_ first: String, _ second: String) {
        let d = Deduplicator()
        _ = d.add(Story(id: "a", title: "Gunfire reported near the market in the night", summary: Self.liveBody, link: first), at: Wire.t0)
        let other = d.add(Story(id: "b", title: "Governor announces curfew and closes schools", summary: Self.otherBody, link: second), at: Wire.t0 + 60)
        #expect(other.duplicateOf == nil)
        let copy = d.add(Story(id: "c", title: "Gunfire reported near the market in the night", summary: Self.liveBody,
                               link: second + "x"), at: Wire.t0 + 120)
        #expect(copy.duplicateOf == "a")
    }

    @Test("A #!/ route is a path; tracking keys and plain fragments still fold for display")
    func routes() {
        #expect(LinkCanonicalizer.canonical("https://e.com/#!/story/1") == "https://e.com/#!/story/1")
        #expect(LinkCanonicalizer.canonical("https://e.com/#!/story/1") != LinkCanonicalizer.canonical("https://e.com/#!/story/2"))
        #expect(LinkCanonicalizer.identity("https://www.e.com/a/?utm_source=x&ref=1#c") == "https://e.com/a?ref=1#c")
        #expect(LinkCanonicalizer.canonical("https://www.e.com/a/?utm_source=x&ref=1#c") == "https://e.com/a")
        let d = Deduplicator()
        _ = d.add(Story(id: "a", title: "One", summary: Self.liveBody, link: "https://e.com/#!/story/1"), at: Wire.t0)
        #expect(d.add(Story(id: "b", title: "Two", summary: Self.otherBody, link: "https://e.com/#!/story/2"),
                      at: Wire.t0 + 60).duplicateOf == nil)
        #expect(d.add(Story(id: "c", title: "Three", summary: "Short.", link: "http://www.e.com/#!/story/1"),
                      at: Wire.t0 + 60).duplicateOf == "a")
    }

    @Test("A far-future date does not expire the index", arguments: [
        "9999-12-31T00:00:00Z", "2999-01-01T00:00:00Z", "2031-06-01T00:00:00Z",
    ])
    func farFuture(_ date: String) throws {
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        var clock = ArrivalClock(window: 7 * 86_400)
        let d = Deduplicator()
        func add(_ story: Story) -> DedupResult {
            let (at, expireBefore) = clock.arrival(published: story.published, now: now)
            if let expireBefore { d.expire(before: expireBefore) }
            return d.add(story, at: at)
        }
        let published = now.addingTimeInterval(-3 * 86_400)
        _ = add(Story(id: "a", title: "Gunfire reported near the market in the night", summary: Self.liveBody, published: published))
        _ = add(Story(id: "b", title: "Governor announces curfew", summary: Self.otherBody,
                      published: try #require(RFC3339.parse(date))))
        #expect(d.count == 2)
        let copy = add(Story(id: "c", title: "Gunfire reported near the market in the night", summary: Self.liveBody,
                             published: published.addingTimeInterval(3600)))
        #expect(copy.duplicateOf == "a")
    }

    @Test("The arrival clock takes dates inside the window, moves it hourly, and reads others as now")
    func arrivalClock() {
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        var clock = ArrivalClock(window: 86_400)
        let t = now.addingTimeInterval(-10 * 86_400)
        #expect(clock.arrival(published: t, now: now) == (t, t.addingTimeInterval(-86_400)))
        #expect(clock.arrival(published: t.addingTimeInterval(600), now: now) == (t.addingTimeInterval(600), nil))
        #expect(clock.arrival(published: t.addingTimeInterval(7200), now: now).expireBefore == t.addingTimeInterval(7200 - 86_400))
        // Behind the window and far ahead of the wall clock: read as the newest date taken.
        #expect(clock.arrival(published: t.addingTimeInterval(-5 * 86_400), now: now).at == t.addingTimeInterval(7200))
        #expect(clock.arrival(published: now.addingTimeInterval(400 * 86_400), now: now).at == t.addingTimeInterval(7200))
        #expect(clock.arrival(published: nil, now: now).at == t.addingTimeInterval(7200))
    }
}

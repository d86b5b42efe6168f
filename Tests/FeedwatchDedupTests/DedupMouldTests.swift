import Foundation
import Testing
@testable import FeedwatchDedup
import FeedwatchModel
import FeedwatchTestSupport

/// Wire reports written from one mould: every slot (attacker, target, town, day, toll) recurs
/// across events, so each phrase a shingle samples is shared by many stories; only the
/// combination tells one attack from another.
enum Mould {
    static let attackers = ["Jihadist fighters", "Armed men on motorbikes", "Suspected Islamist militants",
                            "Jama'at Nusrat al-Islam wal-Muslimin (JNIM)"]
    static let targets = ["attacked a military post", "stormed a mining site", "ambushed a supply convoy",
                          "raided a village market"]
    static let towns = ["Kaya", "Djibo", "Dori", "Ouahigouya"]
    static let days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    static let background = "The Burkinabe army said in a statement that it had repelled the assault and 'neutralised' several attackers, without giving a toll for its own losses. The military junta in Ouagadougou has struggled to contain an insurgency that began in northern Mali in 2012 and has since spread to Burkina Faso and Niger."

    struct Event {
        var attacker: String, target: String, town: String, day: String, toll: Int
    }

    static func report(_ id: String, _ e: Event, agency: String = "Reuters") -> Story {
        let lede = "\(e.town.uppercased()), Burkina Faso (\(agency)) - \(e.attacker) \(e.target) near \(e.town) in Burkina Faso on \(e.day), killing at least \(e.toll) people, security sources said."
        return Story(id: id, title: "Burkina Faso: jihadists kill \(e.toll) in attack near \(e.town)",
                     content: lede + "\n\n" + background, source: agency, language: "en")
    }

    /// Events drawn from the mould with a fixed generator, none equal to `avoiding`.
    static func events(_ n: Int, avoiding: Event) -> [Event] {
        var rng = SplitMix(seed: 7)
        var out: [Event] = []
        while out.count < n {
            let e = Event(attacker: attackers.randomElement(using: &rng)!, target: targets.randomElement(using: &rng)!,
                          town: towns.randomElement(using: &rng)!, day: days.randomElement(using: &rng)!,
                          toll: Int.random(in: 30...35, using: &rng))
            if (e.town, e.toll) != (avoiding.town, avoiding.toll) { out.append(e) }
        }
        return out
    }
}

@Suite("Dedup of reports written from one wire mould")
struct DedupMouldTests {
    let kaya = Mould.Event(attacker: "Jihadist fighters", target: "raided a village market", town: "Kaya",
                           day: "Thursday", toll: 32)

    @Test("A copy finds its original after a thousand reports of other events have filled every phrase they share")
    func copyAfterFormulaicFlood() throws {
        let d = Deduplicator()
        _ = d.add(Mould.report("first", kaya), at: Wire.t0)
        for (i, e) in Mould.events(1_200, avoiding: kaya).enumerated() {
            _ = d.add(Mould.report("other\(i)", e, agency: i % 2 == 0 ? "EFE" : "AFP"), at: Wire.t0 + Double(i))
        }
        // The event keys are not in the snapshot: a loaded index rebuilds them.
        let loaded = try Deduplicator(snapshot: d.snapshot(), config: d.config)
        for index in [d, loaded] {
            let copy = index.add(Mould.report("copy", kaya, agency: "Xinhua"), at: Wire.t0 + 1_500)
            #expect(copy.duplicateOf == "first")
            #expect(copy.story == "first")
        }
    }

    @Test("Two attacks on one town with one toll are two events when their ledes report different days")
    func sameTollOtherDay() {
        let d = Deduplicator()
        _ = d.add(Mould.report("monday", Mould.Event(attacker: "Jihadist fighters", target: "attacked a military post",
                                                      town: "Djibo", day: "Monday", toll: 44)), at: Wire.t0)
        let other = Mould.Event(attacker: "Armed men on motorbikes", target: "stormed a mining site", town: "Djibo",
                                day: "Wednesday", toll: 44)
        #expect(d.add(Mould.report("wednesday", other), at: Wire.t0 + 60) == DedupResult(id: "wednesday", duplicateOf: nil, story: "wednesday"))
        // Its own copy still joins it.
        #expect(d.add(Mould.report("wednesday-copy", other, agency: "AP"), at: Wire.t0 + 120).duplicateOf == "wednesday")
    }

    @Test("An update that leads with a new day and quotes the original's lede is still a copy of it")
    func updateWithNewDay() {
        let d = Deduplicator()
        let original = Mould.report("original", kaya)
        _ = d.add(original, at: Wire.t0)
        let update = Story(id: "update", title: "UPDATE 1-Burkina Faso: jihadists kill 32 in attack near Kaya",
                           content: "The group threatened on Friday to carry out further attacks on markets and mining sites across the north of the country, a day after the assault, in a statement that was sent to journalists in the capital.\n\n" + (original.content ?? ""),
                           source: "Reuters", language: "en")
        #expect(d.add(update, at: Wire.t0 + 60).duplicateOf == "original")
    }

    @Test("Weekdays in English and French, possessive or not; other words are not days", arguments: [
        ("monday", 1), ("monday's", 1), ("monday\u{2019}s", 1), ("wednesday", 3), ("sunday", 7), ("lundi", 1),
        ("mercredi", 3), ("dimanche", 7), ("samedi", 6), ("today", 0), ("holiday", 0), ("days", 0), ("day", 0),
        ("midi", 0), ("niche", 0), ("s", 0), ("'s", 0), ("mondays", 0),
    ])
    func weekdays(word: String, day: UInt32) {
        #expect(Fingerprint.weekday(word) == (day == 0 ? nil : day))
    }

    @Test("A fact of 0, as a damaged index may hold, is no weekday: it neither traps nor dates the story")
    func zeroFactIsNoWeekday() {
        func fingerprint(_ facts: [UInt32]) -> Fingerprint {
            Fingerprint(idHash: 1, linkHash: 0, keys: [], leadCount: 0, names: [], initialNames: [], words: [],
                        titleNames: [], facts: facts, language: nil)
        }
        let damaged = fingerprint([0, 12]), dated = fingerprint([2, 12])
        damaged.withView { a in
            dated.withView { b in
                #expect(!Similarity.differentDays(a, b))
                #expect(Similarity.numbers(a.facts).count == 2)
            }
        }
    }
}

import Foundation
import Testing
import FeedwatchDedup
import FeedwatchModel

/// Small hand-written wire copy for behaviour tests (the dev set measures quality at scale).
enum Wire {
    static let lead = "Gunmen on motorbikes attacked a gendarmerie post in the town of Koutiala in the Sikasso region of southern Mali on Friday, killing four gendarmes and wounding two civilians, the security ministry said."
    static let p2 = "The attackers set fire to the post and to a pick-up truck before fleeing towards the border with Burkina Faso, a local official said, adding that a search operation was under way."
    static let p3 = "Southern Mali had long been spared the violence that has engulfed the north and centre, but attacks have multiplied there since last year, according to security analysts."
    static let p4 = "The ministry said the gendarmerie would be reinforced across the region and urged residents to report any suspicious movements to the authorities."
    static let background = "Mali has been battling a jihadist insurgency since 2012, when militants linked to al-Qaeda and later the Islamic State group seized the north of the country, and the violence has spread to neighbouring countries."
    static let other = "Gunmen attacked a customs post near the town of Kadiolo in southern Mali on Wednesday, killing two customs officers and stealing a motorbike, the finance ministry said in a statement."
    static let other2 = "The ministry said a manhunt had been launched and that the customs post, near the border with Ivory Coast, had been temporarily closed."

    static let body = [lead, p2, p3, p4, background].joined(separator: "\n\n")
    static let t0 = Date(timeIntervalSince1970: 1_795_000_000)

    static func story(_ id: String, _ title: String, _ content: String, link: String? = nil) -> Story {
        Story(id: id, title: title, content: content, link: link, source: "test", language: "en")
    }
}

@Suite("Deduplicator")
struct DedupDeduplicatorTests {
    @Test("A new story starts its own cluster")
    func newStory() {
        let d = Deduplicator()
        #expect(d.add(Wire.story("a", "Four gendarmes killed in southern Mali", Wire.body), at: Wire.t0)
                == DedupResult(id: "a", duplicateOf: nil, story: "a"))
        #expect(d.count == 1)
    }

    @Test("Same id again is the same story")
    func sameID() {
        let d = Deduplicator()
        _ = d.add(Wire.story("a", "Four gendarmes killed", Wire.body), at: Wire.t0)
        let r = d.add(Wire.story("a", "Four gendarmes killed (updated)", Wire.p4), at: Wire.t0 + 60)
        #expect(r == DedupResult(id: "a", duplicateOf: "a", story: "a"))
        #expect(d.count == 1)
    }

    @Test("Same canonical link is a duplicate whatever the text")
    func sameLink() {
        let d = Deduplicator()
        _ = d.add(Wire.story("a", "Four gendarmes killed", Wire.body, link: "https://news.example/mali/koutiala"), at: Wire.t0)
        // Scheme, host prefix, trailing slash and tracking keys fold; a fragment would not (two
        // anchors of one page are two stories unless their text is one: DedupHostileInputTests).
        let r = d.add(Wire.story("b", "Koutiala", "Short teaser.",
                                 link: "http://www.news.example/mali/koutiala/?utm_source=rss"), at: Wire.t0 + 60)
        #expect(r == DedupResult(id: "b", duplicateOf: "a", story: "a"))
    }

    @Test("Republications are near duplicates", arguments: [
        ("new headline", "Mali: attack on Koutiala gendarmerie", Wire.body),
        ("site chrome", "Gendarmes killed", "Skip to content\n\n" + Wire.body + "\n\nShare this:\nFacebook\nTwitter\n\nThe post Gendarmes killed appeared first on Mali Today."),
        ("html and truncation", "Koutiala attack", "<p>" + Wire.lead + "</p><p>" + Wire.p2 + " […]</p>"),
        ("lead only", "Koutiala attack", Wire.lead),
        ("light edits", "Four gendarmes die in Mali attack", Wire.body
            .replacingOccurrences(of: "on Friday", with: "on Friday evening")
            .replacingOccurrences(of: "a local official said", with: "according to a local official")
            .replacingOccurrences(of: "according to security analysts", with: "security analysts say")),
        ("update with extra paragraphs", "UPDATE 1-Four gendarmes killed", [Wire.lead, "The toll later rose to five after one of the wounded died in hospital in Sikasso, a medical source said.", Wire.p2, Wire.p3, Wire.p4, "No group has claimed responsibility for the attack.", Wire.background].joined(separator: "\n\n")),
    ])
    func republications(_ name: String, _ title: String, _ content: String) {
        let d = Deduplicator()
        _ = d.add(Wire.story("orig", "Four gendarmes killed in southern Mali", Wire.body), at: Wire.t0)
        let r = d.add(Wire.story("copy", title, content), at: Wire.t0 + 3600)
        #expect(r.duplicateOf == "orig", "\(name)")
        #expect(r.story == "orig", "\(name)")
    }

    @Test("A different dispatch sharing place, vocabulary and background is not a duplicate")
    func hardNegative() {
        let d = Deduplicator()
        _ = d.add(Wire.story("a", "Four gendarmes killed in southern Mali", Wire.body), at: Wire.t0)
        let r = d.add(Wire.story("b", "Customs officers killed near Kadiolo",
                                 [Wire.other, Wire.other2, Wire.p3, Wire.background].joined(separator: "\n\n")), at: Wire.t0 + 3600)
        #expect(r.duplicateOf == nil)
    }

    @Test("Templated wire reports of different attacks, sharing their background, stay apart")
    func templatedDispatches() {
        // Agencies write every attack in one mould and append the same background paragraphs;
        // what differs is the place and the toll. Each pair below is two events.
        let background = "The Malian army said in a statement that it had repelled the assault and 'neutralised' several attackers, without giving a toll for its own losses. The transitional government in Bamako has struggled to contain an insurgency that began in northern Mali in 2012 and has since spread to Burkina Faso and Niger."
        func dispatch(_ place: String, _ toll: Int, _ day: String) -> String {
            "\(place.uppercased()), Mali (Reuters) - An al-Qaeda-linked group attacked a military post near \(place) in Mali on \(day), killing at least \(toll) people, security and local sources said.\n\n" + background
        }
        let d = Deduplicator()
        let first = d.add(Wire.story("segou", "At least 15 killed as an al-Qaeda-linked group attacked a military post near Segou, Mali",
                                     dispatch("Segou", 15, "Sunday")), at: Wire.t0)
        // Another place, same toll: the headlines name different towns (a capital counts in a headline).
        let bamako = d.add(Wire.story("bamako", "At least 15 killed as an al-Qaeda-linked group attacked a military post near Bamako, Mali",
                                      dispatch("Bamako", 15, "Saturday")), at: Wire.t0 + 600)
        // Same place, another toll: another attack on the same town.
        let again = d.add(Wire.story("segou2", "At least 32 killed as an al-Qaeda-linked group attacked a military post near Segou, Mali",
                                     dispatch("Segou", 32, "Tuesday")), at: Wire.t0 + 1200)
        // A copy with a new headline and no names in it is still a copy.
        let copy = d.add(Wire.story("copy", "Dozens dead in jihadist attack on army post",
                                    dispatch("Segou", 15, "Sunday")), at: Wire.t0 + 1800)
        #expect(first.story == "segou")
        #expect(bamako == DedupResult(id: "bamako", duplicateOf: nil, story: "bamako"))
        #expect(again == DedupResult(id: "segou2", duplicateOf: nil, story: "segou2"))
        #expect(copy == DedupResult(id: "copy", duplicateOf: "segou", story: "segou"))
        // Wire version numbers are not tolls: "UPDATE 2-" of a dispatch is still that dispatch.
        let border = "Mali's military government closed the border with Mauritania on Monday after gunmen attacked a customs post, the transport ministry said in a statement read on state television."
        let v1 = d.add(Wire.story("v1", "UPDATE 1-Mali closes Mauritania border after customs post attack", border), at: Wire.t0 + 2400)
        let v2 = d.add(Wire.story("v2", "UPDATE 2-Mali closes Mauritania border after customs post attack",
                                  border + "\n\nMauritania's foreign ministry summoned Mali's ambassador."), at: Wire.t0 + 3000)
        #expect(v2 == DedupResult(id: "v2", duplicateOf: "v1", story: v1.story))
    }

    @Test("A report that matches a cluster's later report but not its founder starts its own cluster")
    func noChaining() {
        let d = Deduplicator()
        let a = "Gunmen attacked the weekly market of Koro near Bankass on Friday, and residents blamed the Ambassagou militia for the raid that left several traders dead."
        let b = "Displaced families from Koro and Bankass reached camps in Bandiagara, Douentza and Mondoro this week, aid workers said, after the Ambassagou militia raid on the market."
        let c = "Flooding cut the road between Bandiagara and Douentza, leaving Mondoro without supplies for a second week as the rainy season peaked, local officials said."
        _ = d.add(Wire.story("a", "Militia blamed for deadly market raid", a), at: Wire.t0)
        let rb = d.add(Wire.story("b", "Families flee after market raid", b), at: Wire.t0 + 3600)
        let rc = d.add(Wire.story("c", "Road cut by floods in central region", c), at: Wire.t0 + 7200)
        #expect(rb == DedupResult(id: "b", duplicateOf: nil, story: "a"))
        #expect(rc == DedupResult(id: "c", duplicateOf: nil, story: "c"), "shares three places with b, none with a")
    }

    @Test("Copies of a copy point at the first story")
    func chains() {
        let d = Deduplicator()
        _ = d.add(Wire.story("a", "Gendarmes killed", Wire.body), at: Wire.t0)
        _ = d.add(Wire.story("b", "Koutiala", Wire.lead + "\n\n" + Wire.p2), at: Wire.t0 + 60)
        let r = d.add(Wire.story("c", "Mali attack", Wire.lead), at: Wire.t0 + 120)
        #expect(r == DedupResult(id: "c", duplicateOf: "a", story: "a"))
    }

    @Test("Expired stories are forgotten")
    func expiry() {
        let d = Deduplicator(config: DedupConfig(window: 86_400))
        _ = d.add(Wire.story("a", "Gendarmes killed", Wire.body), at: Wire.t0)
        let fillers = ["Rain is expected across Senegal this weekend, forecasters said.",
                       "The price of fish at the port of Dakar rose sharply in October.",
                       "A new bridge over the Gambia river opened to traffic on Monday.",
                       "Football fans queued overnight for tickets to the derby in Accra.",
                       "The central bank left its main interest rate unchanged at its meeting.",
                       "Schools in Abidjan reopened after a two-week teachers' strike ended.",
                       "A cholera vaccination campaign began in three northern districts.",
                       "The airline announced direct flights between Lomé and Paris from March.",
                       "Cocoa farmers demanded higher prices ahead of the main harvest season.",
                       "A film festival in Cotonou drew record crowds on its opening night."]
        for (i, text) in fillers.enumerated() {
            _ = d.add(Wire.story("x\(i)", "Filler \(i)", text), at: Wire.t0 + Double(i))
        }
        #expect(d.count == 11)
        d.expire(before: Wire.t0 + 1)
        #expect(d.count == 9)
        #expect(d.add(Wire.story("b", "Koutiala", Wire.lead), at: Wire.t0 + 7200).duplicateOf == nil)
        #expect(d.add(Wire.story("x5", "Filler 5", "again"), at: Wire.t0 + 7200).duplicateOf == "x5")
        // Most of the index dies: storage is compacted, and what lives is still found.
        d.expire(before: Wire.t0 + 9)
        #expect(d.count == 2)
        #expect(d.add(Wire.story("y", "Cotonou festival", fillers[9]), at: Wire.t0 + 7300).duplicateOf == "x9")
        #expect(d.add(Wire.story("x3", "Filler 3", "again"), at: Wire.t0 + 7300).duplicateOf == nil)
        #expect(d.add(Wire.story("z", "Koutiala", Wire.lead), at: Wire.t0 + 7400).duplicateOf == "b")
        #expect(d.count == 5)
    }

    @Test("Beyond its capacity the index forgets its earliest arrivals, and keeps finding the rest")
    func capacity() {
        let d = Deduplicator()
        d.capacity = 64
        _ = d.add(Wire.story("a", "Gendarmes killed", Wire.body), at: Wire.t0)
        for i in 0..<200 {
            // Each a copy of the one before it (same text, another id): the result names an
            // earlier story's id even on the add that compacts the index.
            let r = d.add(Wire.story("n\(i)", "Note", "Market notice of the Bamako chamber of commerce, filed under its reference for the season."),
                          at: Wire.t0 + Double(i + 1))
            #expect(r.duplicateOf.map { $0.hasPrefix("n") } ?? (i == 0))
        }
        #expect(d.count <= 64 + 64 / 16)
        #expect(d.count >= 64)
        #expect(d.add(Wire.story("b", "Koutiala", Wire.body), at: Wire.t0 + 300).duplicateOf == nil)   // "a" forgotten
        #expect(d.add(Wire.story("c", "Note again", "Market notice of the Bamako chamber of commerce, filed under its reference for the season."),
                      at: Wire.t0 + 301).duplicateOf == "n0")
    }

    @Test("A pinned (alerted) story outlives the capacity bound, across a snapshot, until the window passes")
    func pinnedOutlivesCapacity() throws {
        func filled(pinning: Bool) -> Deduplicator {
            let d = Deduplicator(config: DedupConfig(window: 86_400))
            d.capacity = 64
            _ = d.add(Wire.story("a", "Gendarmes killed", Wire.body), at: Wire.t0)
            if pinning { d.pin("a") }
            for i in 0..<300 {
                _ = d.add(Wire.story("n\(i)", "Note \(i)", "Market notice number \(i) of the Bamako chamber of commerce, filed under reference \(i * 7919) for the season."),
                          at: Wire.t0 + Double(i + 1))
            }
            #expect(d.count <= 64 + 64 / 16 + 1)
            return d
        }
        let copy = Wire.story("b", "Copy", Wire.lead + "\n\n" + Wire.p2)
        #expect(filled(pinning: false).add(copy, at: Wire.t0 + 600).duplicateOf == nil)
        #expect(filled(pinning: true).add(copy, at: Wire.t0 + 600).duplicateOf == "a")

        // After a load the pin is restored by whoever raised the alert (the daemon, from its alerts).
        let snapshot = filled(pinning: true).snapshot()
        let restored = try Deduplicator(snapshot: snapshot, config: DedupConfig(window: 86_400))
        restored.capacity = 64
        restored.pin("a")
        #expect(restored.add(copy, at: Wire.t0 + 600).duplicateOf == "a")
        let unpinned = try Deduplicator(snapshot: snapshot, config: DedupConfig(window: 86_400))
        unpinned.capacity = 64
        #expect(unpinned.add(copy, at: Wire.t0 + 600).duplicateOf == nil)

        // The retention window ends pins too.
        let expired = filled(pinning: true)
        expired.expire(before: Wire.t0 + 1)
        #expect(expired.add(copy, at: Wire.t0 + 600).duplicateOf == nil)
    }

    @Test("Reports of one event share a cluster within the window, not beyond it")
    func clustering() {
        let d = Deduplicator(config: DedupConfig(clusterWindow: 86_400))
        _ = d.add(Wire.story("a", "Four gendarmes killed in Koutiala", Wire.body), at: Wire.t0)
        let report = "Residents of Koutiala said on Saturday they were shocked by the attack on the gendarmerie post that killed four gendarmes, the first such assault in the town. Traders in Koutiala kept their shops closed and the Sikasso regional governor visited the wounded."
        let same = d.add(Wire.story("b", "Koutiala in shock after gendarmerie attack", report), at: Wire.t0 + 3600 * 20)
        #expect(same.duplicateOf == nil)
        #expect(same.story == "a")
        let follow = "Traders in Koutiala reopened their shops on Monday after the attack on the gendarmerie post that killed four gendarmes, as the Sikasso regional governor announced extra patrols around the town."
        let early = d.add(Wire.story("c", "Koutiala shops reopen after gendarmerie attack", follow), at: Wire.t0 + 3600 * 22)
        #expect(early.duplicateOf == nil)
        #expect(early.story == "a")
        let late = d.add(Wire.story("e", "Koutiala shops reopen after gendarmerie attack", follow), at: Wire.t0 + 86_400 * 3)
        #expect(late.duplicateOf == "c")
        #expect(late.story == "a", "a duplicate joins its original's cluster even after the cluster window")
        let curfew = "Sikasso regional authorities doubled patrols in Koutiala on Thursday and imposed a night curfew on motorbikes after gunmen killed four gendarmes at the gendarmerie post in the town."
        let fresh = Deduplicator(config: DedupConfig(clusterWindow: 86_400))
        _ = fresh.add(Wire.story("a", "Four gendarmes killed in Koutiala", Wire.body), at: Wire.t0)
        #expect(fresh.add(Wire.story("f", "Curfew in Koutiala after gendarmerie attack", curfew), at: Wire.t0 + 3600 * 20).story == "a")
        #expect(d.add(Wire.story("f", "Curfew in Koutiala after gendarmerie attack", curfew), at: Wire.t0 + 86_400 * 5)
                == DedupResult(id: "f", duplicateOf: nil, story: "f"))
    }
}

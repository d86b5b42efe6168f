import FeedwatchClassify
import FeedwatchModel
import Foundation
import Testing

/// Language packs: a language's terms in a file of their own, added to the watchlist's sets.
@Suite struct ClassifierLanguagePackTests {
    /// A folder holding `watchlist.yaml` and the given pack files; removed by the caller.
    func folder(watchlist: String, packs: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("packs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("languages"), withIntermediateDirectories: true)
        try watchlist.write(to: dir.appendingPathComponent("watchlist.yaml"), atomically: true, encoding: .utf8)
        for (name, text) in packs {
            try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return dir
    }

    static let watchlist = """
    languages: [languages/pl.yaml]
    sets:
      places: [Mali, Niger]
      violence:
        en: [attack*]
    topics:
      t:
        threshold: 4
        require:
          - all: ["@places", "@violence"]
        terms:
          "@places": 2
          "@violence": 2
    """

    static let polish = """
    language: pl
    sets:
      places: [Nigr*]
      violence: [atak*, zasadzk*]
    """

    func matches(_ title: String, language: String?, in dir: URL) throws -> Bool {
        let watchlist = try Watchlist.load(path: dir.appendingPathComponent("watchlist.yaml").path)
        return !Classifier(watchlist: watchlist).classify(Story(id: "s", title: title, language: language)).isEmpty
    }

    @Test func packTermsCountInTheirLanguageOnly() throws {
        let dir = try folder(watchlist: Self.watchlist, packs: ["languages/pl.yaml": Self.polish])
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try matches("Zasadzka w Nigrze", language: "pl", in: dir))
        #expect(try matches("Atak w Mali", language: "pl", in: dir))
        // An English story does not get the Polish list, nor a Polish story the English one.
        #expect(try !matches("Zasadzka w Nigrze", language: "en", in: dir))
        #expect(try !matches("Attack in Mali", language: "pl", in: dir))
        #expect(try matches("Attack in Mali", language: "en", in: dir))
        // A story of unknown language gets every list.
        #expect(try matches("Zasadzka w Nigrze", language: nil, in: dir))
    }

    @Test func explainNamesThePackFileWhereATermIsDefined() throws {
        let dir = try folder(watchlist: Self.watchlist, packs: ["languages/pl.yaml": Self.polish])
        defer { try? FileManager.default.removeItem(at: dir) }
        let watchlist = try Watchlist.load(path: dir.appendingPathComponent("watchlist.yaml").path)
        let explained = Classifier(watchlist: watchlist).explain(Story(id: "s", title: "Zasadzka w Nigrze", language: "pl"))
        let hit = try #require(explained.first?.terms.first { $0.term == "zasadzk*" })
        #expect(hit.defined.hasSuffix("languages/pl.yaml:4:21"))
    }

    @Test func packProblemsAreReportedAtThePacksOwnLines() throws {
        let broken = """
        language: pl
        sets:
          places: [Nigr*]
          nowhere: [atak*]
          violence: [(atak*]
        """
        let dir = try folder(watchlist: Self.watchlist, packs: ["languages/pl.yaml": broken])
        defer { try? FileManager.default.removeItem(at: dir) }
        let pack = dir.appendingPathComponent("languages/pl.yaml").path
        #expect(throws: WatchlistError.self) { try Watchlist.load(path: dir.appendingPathComponent("watchlist.yaml").path) }
        do {
            _ = try Watchlist.load(path: dir.appendingPathComponent("watchlist.yaml").path)
        } catch let error as WatchlistError {
            let lines = error.diagnostics.map(\.description)
            #expect(lines.contains("\(pack):5:14: unbalanced '(': no matching ')'"))
            #expect(lines.contains("\(pack):4:3: language pack 'pl' adds to set 'nowhere', which the watchlist does not define"))
        }
    }

    @Test func aMissingPackOrALanguageLessPackIsRefused() throws {
        let dir = try folder(watchlist: Self.watchlist.replacingOccurrences(of: "pl.yaml", with: "xx.yaml"), packs: [:])
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            _ = try Watchlist.load(path: dir.appendingPathComponent("watchlist.yaml").path)
            Issue.record("a missing pack was accepted")
        } catch let error as WatchlistError {
            let line = try #require(error.diagnostics.first?.description)
            #expect(line.contains("watchlist.yaml:1:13: cannot read language pack"))
            #expect(line.hasSuffix("languages/xx.yaml: no such file"))
        }
        let noLanguage = try folder(watchlist: Self.watchlist, packs: ["languages/pl.yaml": "sets:\n  places: [Nigr*]\n"])
        defer { try? FileManager.default.removeItem(at: noLanguage) }
        #expect(throws: WatchlistError.self) { try Watchlist.load(path: noLanguage.appendingPathComponent("watchlist.yaml").path) }
    }

    @Test func inlineListsTakeAnyLanguageCode() throws {
        let yaml = """
        sets:
          violence: {en: [attack*], pl: [atak*], ha: [hari]}
        topics:
          t:
            threshold: 1
            terms:
              "@violence": 1
        """
        let classifier = Classifier(watchlist: try Watchlist.parse(yaml: yaml, file: "w.yaml"))
        #expect(!classifier.classify(Story(id: "s", title: "Hari a Maiduguri", language: "ha")).isEmpty)
        #expect(classifier.classify(Story(id: "s", title: "Hari a Maiduguri", language: "en")).isEmpty)
        #expect(ClassifierFixture.diagnostics(yaml.replacingOccurrences(of: "ha: [hari]", with: "Hausa: [hari]"))
            == ["w.yaml:2:42: unknown key 'Hausa' in set 'violence' (expected a language list: any, or a language code such as en, fr, pl)"])
    }
}

import FeedwatchModel
import Foundation

/// An alert as the pipeline makes one, for store, sink and dispatcher tests.
public func sampleAlert(_ id: String, topic: String = "sahel", source: String = "rfi.fr",
                        alerted: Date = Date(timeIntervalSince1970: 1_790_000_000)) -> Alert {
    Alert(id: id, topic: topic, score: 2.5, matched: ["Mali", "JNIM"], story: "story-\(id)",
          title: "Attack near Gao \(id)", link: "https://example.org/\(id)", source: source, outlets: [source],
          published: Date(timeIntervalSince1970: 1_789_999_000), fetched: Date(timeIntervalSince1970: 1_789_999_900),
          alerted: alerted)
}

/// An alert carried by `reports` outlets (plus `beyond` counted but not listed), with markup in
/// its title and an `&` in its link, to check escaping and that the link survives truncation.
public func crowdedAlert(_ id: String, reports n: Int, beyond: Int = 0, score: Double = 2.5) -> Alert {
    var a = sampleAlert(id)
    a.score = score
    a.title = "Attack near Gao <b>&\"ambush\"</b> @everyone"
    a.link = "https://example.org/news/\(id)?from=rss&lang=fr"
    a.reports = (0..<n).map {
        Alert.Report(outlet: "outlet\($0).example", link: "https://outlet\($0).example/2026/12/06/story-\($0)",
                     title: "Report \($0): gunmen attack an army post near Gao, several killed, officials say")
    }
    a.reportCount = n + beyond
    a.outlets = a.reports!.map(\.outlet)
    return a
}

/// "… N more outlets" in `text`, as a number.
public func moreOutlets(_ text: String) -> Int? {
    guard let r = text.range(of: #"… (\d+) more outlets?"#, options: .regularExpression) else { return nil }
    return Int(text[r].split(separator: " ")[1])
}

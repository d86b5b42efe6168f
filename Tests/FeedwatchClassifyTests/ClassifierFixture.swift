import FeedwatchClassify
import FeedwatchModel
import Foundation

/// Helpers shared by the classification tests (named Classif* so it stays with them).
enum ClassifierFixture {
    /// The watchlist shipped in Config/, read from the source tree.
    static var shippedWatchlistPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Config/watchlist.yaml").path
    }

    static func classifier(_ yaml: String) throws -> Classifier {
        Classifier(watchlist: try Watchlist.parse(yaml: yaml, file: "test.yaml"))
    }

    /// A one-topic watchlist around `terms` (YAML mapping lines), threshold 1 unless given.
    static func topic(_ terms: String, threshold: Double = 1, extra: String = "", sets: String = "") -> String {
        var yaml = ""
        if !sets.isEmpty { yaml += "sets:\n" + sets + "\n" }
        yaml += "topics:\n  t:\n    threshold: \(threshold)\n    boost: {title: 3, lead: 2, body: 1, lead_words: 10}\n"
        yaml += extra
        yaml += "    terms:\n" + terms
        return yaml
    }

    static func story(_ title: String, _ body: String = "", language: String? = nil) -> Story {
        Story(id: "s", title: title, summary: body, language: language)
    }

    /// Errors as printed lines, for exact comparison.
    static func diagnostics(_ yaml: String) -> [String] {
        do {
            _ = try Watchlist.parse(yaml: yaml, file: "w.yaml")
            return []
        } catch let error as WatchlistError {
            return error.diagnostics.map(\.description)
        } catch {
            return ["unexpected: \(error)"]
        }
    }
}

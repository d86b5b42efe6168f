import FeedwatchModel
import Foundation

/// An alert as the parts a chat or push message is made of, before any channel's markup:
/// a headline, one line per outlet, how many outlets were left unlisted, and the link.
/// Channels render the parts and fit them to their limits with `TextBudget`.
public struct AlertMessage: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        public var outlet: String
        public var title: String?
        public var link: String?
    }

    /// "Update 2: 5 outlets now report …" for an update; the title otherwise.
    public var headline: String
    /// `topic · score 2.5 · rfi.fr`.
    public var context: String
    public var lines: [Line]
    /// Outlets counted but not in `lines` (an alert lists at most `Alert.maxReports`).
    public var unlisted: Int
    public var link: String?

    public init(_ alert: Alert) {
        let score = String(format: "%.1f", alert.score)
        switch alert.kind {
        case .update:
            let n = max(alert.reportCount ?? alert.outlets.count, alert.outlets.count)
            headline = "Update\(alert.update.map { " \($0)" } ?? ""): \(n) outlets now report: \(alert.title)"
        case .digest, .alert:
            headline = alert.title
        }
        context = "\(alert.topic) · score \(score) · \(alert.source)"
        if let items = alert.items, alert.kind == .digest {
            lines = items.map { Line(outlet: $0.source, title: $0.title, link: $0.link) }
            unlisted = 0
        } else if let reports = alert.reports, !reports.isEmpty {
            // The first report is the alert's own title and link: list the others.
            lines = reports.dropFirst().map { Line(outlet: $0.outlet, title: $0.title, link: $0.link) }
            unlisted = max((alert.reportCount ?? reports.count) - reports.count, 0)
        } else {
            lines = alert.outlets.dropFirst().map { Line(outlet: $0, title: nil, link: nil) }
            unlisted = 0
        }
        link = alert.link
    }

    /// "… 3 more outlets".
    public static func more(_ n: Int) -> String { n == 1 ? "… 1 more outlet" : "… \(n) more outlets" }
}

import FeedwatchModel
import Foundation

/// Renders alerts for people: one headline line and one detail line each,
/// with ANSI colour when writing to a terminal.
public struct AlertFormatter: Sendable {
    public var colour: Bool

    public init(colour: Bool) { self.colour = colour }

    /// - Parameter underAlert: the update's alert is shown just above (or was already): the update is
    ///   indented beneath it without repeating its headline.
    public func format(_ a: Alert, underAlert: Bool = false) -> String {
        let when = Self.shortTime(a.alerted)
        let score = String(format: "%.1f", a.score)
        let others = a.outlets.filter { $0 != a.source }
        var outlets = a.source
        if !others.isEmpty { outlets += " +\(others.count) (\(others.joined(separator: ", ")))" }
        var lines: [String]
        switch a.kind {
        case .alert:
            lines = [
                "\(paint(when, "2")) \(paint(a.topic, "1;36")) \(paint(score, "33")) \(paint(a.title, "1"))",
                "    \(outlets)" + (a.link.map { "  \(paint($0, "4;34"))" } ?? ""),
            ]
            if let p = a.published {
                let lag = a.alerted.timeIntervalSince(p)
                lines[1] += paint("  published \(Self.shortTime(p))"
                                  + (lag >= 0 ? " (alerted \(Self.duration(lag)) later)" : ""), "2")
            }
            if !a.matched.isEmpty { lines.append("    " + paint("matched: " + a.matched.joined(separator: ", "), "2")) }
        case .digest:
            let items = a.items ?? []
            lines = ["\(paint(when, "2")) \(paint(a.topic, "1;36")) \(paint("digest", "1;35")) "
                     + paint("\(items.count) alert\(items.count == 1 ? "" : "s") held back by flood control", "1")]
            lines += items.map { "    - \($0.title) (\($0.source))" }
        case .update:
            let reports = a.reportCount ?? a.reports?.count ?? a.outlets.count
            let head = "\(paint("update \(a.update ?? 0)", "1;35")) \(paint(Self.shortTime(a.updated ?? a.alerted), "2")): "
                + "\(a.outlets.count) outlet\(a.outlets.count == 1 ? "" : "s"), \(reports) report\(reports == 1 ? "" : "s") "
                + "(\(a.outlets.joined(separator: ", ")))"
            lines = underAlert ? ["    ↳ " + head]
                : ["\(paint(when, "2")) \(paint(a.topic, "1;36")) \(paint(score, "33")) \(paint(a.title, "1"))", "    ↳ " + head]
            // The latest reports: which outlet carried the story, under which headline, where. A story
            // a hundred feeds reprint would otherwise fill the screen at every update.
            let later = (a.reports ?? []).dropFirst()
            if later.count > Self.reportsShown { lines.append("      … \(later.count - Self.reportsShown) earlier") }
            for r in later.suffix(Self.reportsShown) {
                var line = "      + \(r.outlet)"
                if let t = r.title, t != a.title { line += ": \(t)" }
                if let l = r.link { line += "  " + paint(l, "4;34") }
                lines.append(line)
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Reports an update lists at most, the latest.
    public static let reportsShown = 8

    private func paint(_ s: String, _ code: String) -> String {
        colour ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s
    }

    /// `45 s`, `12 min`, `5 h`, `12 days`: the unit a reader thinks in, rounded down (a lag of
    /// 17,846 minutes reads as "12 days", not as minutes to convert). Under an hour stays in minutes
    /// and under two days in hours, where the finer unit still says something.
    public static func duration(_ seconds: TimeInterval) -> String {
        let s = max(Int(seconds), 0)
        if s < 60 { return "\(s) s" }
        if s < 3_600 { return "\(s / 60) min" }
        if s < 48 * 3_600 { return "\(s / 3_600) h" }
        return "\(s / 86_400) days"
    }

    /// `2026-11-24 08:30Z`: minutes are enough to read a log by.
    public static func shortTime(_ d: Date) -> String {
        let s = RFC3339.format(d)
        return String(s.prefix(10)) + " " + String(s.dropFirst(11).prefix(5)) + "Z"
    }
}

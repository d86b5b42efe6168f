import FeedwatchModel
import Foundation

/// What `feedwatch check` does with a template: render it once against each sample alert (every
/// field set; an update; a digest; one with nothing optional), so a name used where it has no
/// value, or a JSON payload that does not parse, is found before the first real alert.
public enum TemplateCheck {
    public static func samples(now: Date = Date(timeIntervalSince1970: 1_790_000_000)) -> [Alert] {
        let reports = [
            Alert.Report(outlet: "Example Wire", link: "https://example.org/wire/1", title: "Sample: attack near a border town"),
            Alert.Report(outlet: "Second Daily", link: "https://example.net/2", title: "Gunmen attack border town"),
            Alert.Report(outlet: "Third Radio", link: nil, title: nil),
        ]
        var full = Alert(id: "check-sample", topic: "sample-topic", score: 3.5, matched: ["attack", "border"],
                         story: "check-sample", title: reports[0].title!, link: reports[0].link, source: "Example Wire",
                         outlets: reports.map(\.outlet), published: now.addingTimeInterval(-900),
                         fetched: now.addingTimeInterval(-60), alerted: now, reports: reports, reportCount: 7)
        full.linkNote = "sample note"
        var update = full
        update.kind = .update
        update.update = 1
        update.updated = now.addingTimeInterval(600)
        let digest = AlertDigest.make(topic: "sample-topic", sink: "check", items: [full, full], now: now)
        let bare = Alert(id: "check-bare", topic: "sample-topic", score: 0.5, matched: [], story: "check-bare",
                         title: "A bare sample", link: nil, source: "somewhere", outlets: ["somewhere"], published: nil,
                         fetched: now, alerted: now)
        return [full, update, digest, bare]
    }

    /// The template's first problem against the samples, if any.
    public static func check(_ template: AlertTemplate, sink: String) -> TemplateError? {
        for sample in samples() {
            do { _ = try template.render(sample, sink: sink) } catch { return error }
        }
        return nil
    }
}

import FeedwatchConfig
import FeedwatchModel
import Foundation
import Testing

/// `template:` keys in the config (what `feedwatch check` reports about the files they name is in the
/// daemon's SinkTemplateLoaderTests).
@Suite struct ConfigTemplateTests {
    let base = ConfigTests()

    @Test func aMissingTemplateOrAKeyTheSinkDoesNotTakeIsAConfigErrorWithItsPlace() {
        let p = base.problems("""
        watchlist: w.yaml
        sources:
          - url: https://example.org/feed
        sinks:
          - type: slack
            url_env: U
            template: /nonexistent/slack.mustache
          - type: slack
            name: s2
            url_env: U
            subject_template: /nonexistent/s.mustache
          - type: file
            path: alerts.jsonl
            template: x.mustache
        """, env: ["U": "https://hooks.slack.com/services/T/B/x"])
        #expect(p.contains("feedwatch.yaml:7:15: cannot read template /nonexistent/slack.mustache (No such file or directory)")
                || p.contains("feedwatch.yaml:7:15: cannot read template /nonexistent/slack.mustache (no such file)"), "\(p)")
        #expect(p.contains { $0.hasPrefix("feedwatch.yaml:11:5: ") && $0.contains("subject_template") }, "\(p)")
        #expect(p.contains { $0.hasPrefix("feedwatch.yaml:14:5: ") && $0.contains("template") }, "\(p)")
    }
}

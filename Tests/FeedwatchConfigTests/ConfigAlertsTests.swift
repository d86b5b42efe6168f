import FeedwatchConfig
import Foundation
import Testing

/// The `alerts:` section: how often an alert may be sent again as an update.
@Suite struct ConfigAlertsTests {
    static let base = """
    sources:
      - {name: A, url: "https://a.example/rss"}
    sinks:
      - {type: file, path: alerts.jsonl}

    """

    func load(_ extra: String) throws -> Config {
        try Config.parse(yaml: Self.base + extra, file: "/etc/feedwatch/feedwatch.yaml", displayName: "feedwatch.yaml",
                         environment: [:])
    }

    @Test(arguments: [("", 600.0), ("alerts: {update_interval: 30m}\n", 1800), ("alerts: {update_interval: 0}\n", 0),
                      ("alerts:\n  update_interval: 90s\n", 90)])
    func updateInterval(_ yaml: String, _ seconds: Double) throws {
        #expect(try load(yaml).alerts.updateInterval == seconds)
    }

    @Test(arguments: [
        ("alerts: {update_interval: soon}\n", "feedwatch.yaml:5:27: alerts.update_interval must be a duration such as 30s, 5m, 6h or 7d"),
        ("alerts: {update_intervall: 5m}\n", "feedwatch.yaml:5:10: unknown key 'update_intervall' in alerts (did you mean 'update_interval'?)"),
    ])
    func badValuesAreNamedWithTheirPosition(_ yaml: String, _ message: String) {
        do {
            _ = try load(yaml)
            Issue.record("accepted \(yaml)")
        } catch let e as ConfigError {
            #expect(e.diagnostics.map(\.description) == [message])
        } catch {
            Issue.record("\(error)")
        }
    }
}

import FeedwatchAlert
import FeedwatchDaemon
import FeedwatchModel
import Foundation
import Logging
import Testing

/// Shared pieces of the end-to-end tests: a scratch directory with a config
/// and a watchlist, RSS documents in wire style, the built binary.
struct E2E {
    let dir: String
    static let secret = "whsec_" + Data((0..<32).map { UInt8($0 * 7 % 256) }).base64EncodedString()

    init() throws {
        dir = NSTemporaryDirectory() + "fw-e2e-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try write("watchlist.yaml", Self.watchlist)
    }

    func cleanup() { try? FileManager.default.removeItem(atPath: dir) }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let path = dir + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    var alertsPath: String { dir + "/alerts.jsonl" }

    /// A config polling `sources` (name, url) with a file sink and, optionally, a webhook.
    func config(sources: [(String, String)], webhook: String? = nil, extra: String = "") throws -> String {
        var y = "watchlist: watchlist.yaml\nstate_dir: state\nsources:\n"
        for (name, url) in sources { y += "  - {name: \"\(name)\", url: \"\(url)\"}\n" }
        y += "sinks:\n  - {type: file, path: alerts.jsonl}\n"
        if let webhook {
            y += "  - {type: webhook, name: hook, url: \"\(webhook)\", secret: \"\(Self.secret)\", headers: {X-Test: e2e}, timeout: 2s}\n"
        }
        y += "limits: {timeout: 2s, connect_timeout: 1s, max_body: 1MiB}\n" + extra
        return try write("feedwatch.yaml", y)
    }

    func daemon(_ configPath: String, retry: RetryPolicy = RetryPolicy(initialDelay: 0.2, jitter: 0)) async throws -> Daemon {
        var logger = Logger(label: "e2e")
        logger.logLevel = .critical
        return try await Daemon(options: Daemon.Options(configPath: configPath), logger: logger, retry: retry)
    }

    /// The alerts in the file sink, in order.
    func loggedAlerts() -> [Alert] {
        guard let text = try? String(contentsOfFile: alertsPath, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONDecoder().decode(Alert.self, from: Data($0.utf8)) }
    }

    static let watchlist = """
    topics:
      sahel:
        threshold: 3
        terms:
          Mali: 2
          Mopti: 1
          attack*: 1
          soldier*: 1
    """

    struct Item {
        var guid: String
        var title: String
        var body: String
        var published = Date().addingTimeInterval(-1800)
    }

    static func rss(_ title: String, _ items: [Item]) -> String {
        var s = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel><title>\(title)</title>"
        s += "<link>https://example.org/</link><language>en</language>"
        for i in items {
            s += "<item><title>\(i.title)</title><link>https://example.org/\(i.guid)</link><guid>\(i.guid)</guid>"
            s += "<pubDate>\(rfc822(i.published))</pubDate><description><![CDATA[<p>\(i.body)</p>]]></description></item>"
        }
        return s + "</channel></rss>\n"
    }

    static func rfc822(_ d: Date) -> String {
        var t = time_t(d.timeIntervalSince1970)
        var tmv = tm()
        gmtime_r(&t, &tmv)
        var buf = [CChar](repeating: 0, count: 64)
        strftime(&buf, buf.count, "%a, %d %b %Y %H:%M:%S +0000", &tmv)
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static let maliText = """
    At least 12 Malian soldiers were killed on Monday night when dozens of gunmen on motorcycles attacked an army \
    camp in Sevare, near the central city of Mopti, local security sources said. The al-Qaeda-linked group JNIM \
    claimed responsibility for the attack on Tuesday morning. Vehicles were set on fire and weapons were seized, \
    a local official told reporters by phone. The army said it had repelled a complex attack after several hours \
    of fighting but gave no toll. Reinforcements and air support were sent from the capital, Bamako.
    """
    static let mali = Item(guid: "wire-mali-1", title: "At least 12 soldiers killed in attack on army camp in central Mali",
                           body: maliText)
    /// The same dispatch republished by another outlet: new headline, boilerplate, cut short.
    static let maliCopy = Item(guid: "other-778", title: "Mali: jihadists storm army camp near Mopti",
                               body: "Share on Facebook | Share on X. " + maliText.split(separator: ".").prefix(4).joined(separator: ".")
                                   + ". The post appeared first on Other Outlet.")
    static let weather = Item(guid: "wx-1", title: "Heavy rain expected in Lagos this weekend",
                              body: "Forecasters expect heavy rain across Lagos on Saturday and Sunday, with local flooding possible.")

    /// The package's built `feedwatch` binary (tests build it with `swift build --build-tests`).
    static var binary: String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/feedwatch").path
    }

    static var hasBinary: Bool { FileManager.default.isExecutableFile(atPath: binary) }
}

/// Polls `condition` until it holds or `timeout` passes.
func eventually(_ timeout: Duration = .seconds(10), _ condition: () throws -> Bool) async rethrows -> Bool {
    let end = ContinuousClock.now + timeout
    while ContinuousClock.now < end {
        if try condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return try condition()
}

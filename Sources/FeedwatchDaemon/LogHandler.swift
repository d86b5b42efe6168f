import Foundation
import FeedwatchModel
import Logging

/// feedwatch's swift-log handler: one line per record on stderr, written with a
/// single write(2). Under journald (`$JOURNAL_STREAM` set) each line starts with
/// the syslog priority `<N>` so `journalctl -p` filters work, and carries no
/// timestamp (journald adds one); otherwise it is human-readable with a UTC time.
public struct FeedwatchLogHandler: LogHandler {
    public enum Style: Sendable, Equatable {
        /// `<4>message key=value` for systemd-journald's stdout/stderr stream.
        case journal
        /// `2026-11-25T10:04:59Z warning label: message key=value`.
        case human
    }

    public let label: String
    public let style: Style
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let fd: Int32

    public init(label: String, style: Style, level: Logger.Level = .info, fileDescriptor: Int32 = 2) {
        self.label = label
        self.style = style
        logLevel = level
        fd = fileDescriptor
    }

    /// `.journal` when stderr is connected to journald, per `$JOURNAL_STREAM`.
    public static func style(environment: [String: String] = ProcessInfo.processInfo.environment) -> Style {
        (environment["JOURNAL_STREAM"]?.isEmpty ?? true) ? .human : .journal
    }

    /// Installs this handler process-wide. Call once, first thing in `main`.
    public static func bootstrap(level: Logger.Level,
                                 environment: [String: String] = ProcessInfo.processInfo.environment) {
        let style = style(environment: environment)
        LoggingSystem.bootstrap { label in FeedwatchLogHandler(label: label, style: style, level: level) }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let line = Self.format(level: event.level, message: "\(event.message)", metadata: merged, label: label,
                               style: style, date: Date())
        let bytes = Array(line.utf8)
        bytes.withUnsafeBytes { raw in
            var off = 0
            while off < raw.count {
                let n = write(fd, raw.baseAddress! + off, raw.count - off)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                off += n
            }
        }
    }

    /// The syslog priority for a level (RFC 5424 severities).
    public static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// One record as text, newline-terminated. Continuation lines of a multi-line
    /// message repeat the priority prefix so journald keeps their severity.
    public static func format(level: Logger.Level, message: String, metadata: Logger.Metadata, label: String,
                              style: Style, date: Date) -> String {
        let fields = metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\(quoted("\($0.value)"))" }
        let body = ([message] + fields).joined(separator: " ")
        switch style {
        case .journal:
            let prefix = "<\(priority(level))>"
            return body.split(separator: "\n", omittingEmptySubsequences: false)
                .map { prefix + $0 }.joined(separator: "\n") + "\n"
        case .human:
            return "\(RFC3339.format(date)) \(level.rawValue) \(label): \(body)\n"
        }
    }

    private static func quoted(_ v: String) -> String {
        v.isEmpty || v.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" || $0 == "\n" })
            ? "\"" + v.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n") + "\""
            : v
    }
}

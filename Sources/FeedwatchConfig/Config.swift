import FeedwatchModel
import Foundation

/// The daemon's whole configuration, validated: every path is absolute and
/// every value is within its bounds. Built by `Config.load(path:)`; the daemon
/// holds one and swaps it whole on reload.
public struct Config: Sendable, Equatable {
    /// The absolute path of the file this was read from.
    public var file: String
    public var sources: [SourceConfig]
    /// Absolute path of the watchlist (written relative to the config file).
    public var watchlist: String
    public var sinks: [SinkConfig]
    /// Where the state database lives.
    public var stateDir: String
    public var limits: Limits
    public var schedule: Schedule
    public var catchUp: CatchUp
    public var flood: FloodControl
    public var retention: Retention
    public var health: HealthAlerts
    /// What happens to an alert after it is raised (`alerts:`).
    public var alerts = AlertSettings()
    /// Where state lives: SQLite in `stateDir` (the default) or a shared PostgreSQL database.
    public var store = StoreConfig.sqlite
    /// Bounds on article-page fetching (`full_text:`).
    public var fullText = FullTextLimits()
    /// `metrics.listen`: where `/metrics` (Prometheus text format) is served; nil (the default): nowhere.
    public var metricsListen: String?

    public init(file: String, sources: [SourceConfig], watchlist: String, sinks: [SinkConfig], stateDir: String,
                limits: Limits = Limits(), schedule: Schedule = Schedule(), catchUp: CatchUp = CatchUp(),
                flood: FloodControl = FloodControl(), retention: Retention = Retention(),
                health: HealthAlerts = HealthAlerts()) {
        self.file = file
        self.sources = sources
        self.watchlist = watchlist
        self.sinks = sinks
        self.stateDir = stateDir
        self.limits = limits
        self.schedule = schedule
        self.catchUp = catchUp
        self.flood = flood
        self.retention = retention
        self.health = health
    }

    /// The state database file inside `stateDir`.
    public var databasePath: String { (stateDir as NSString).appendingPathComponent("feedwatch.db") }

    /// Applies the command line's directory overrides: `stateDir` replaces
    /// `state_dir`, and `logDir` becomes the base of file sinks written as
    /// relative paths (systemd's LogsDirectory).
    public func overriding(stateDir: String?, logDir: String?) -> Config {
        var c = self
        if let stateDir { c.stateDir = Config.absolute(stateDir, base: FileManager.default.currentDirectoryPath) }
        if let logDir {
            let base = Config.absolute(logDir, base: FileManager.default.currentDirectoryPath)
            c.sinks = sinks.map { sink in
                guard case .file(var f) = sink, !f.written.hasPrefix("/") else { return sink }
                f.path = Config.absolute(f.written, base: base)
                return .file(f)
            }
        }
        return c
    }

    /// `path` made absolute against `base`, normalised.
    public static func absolute(_ path: String, base: String) -> String {
        let joined = path.hasPrefix("/") ? path : (base as NSString).appendingPathComponent(path)
        return (joined as NSString).standardizingPath
    }
}

/// One polled feed.
public struct SourceConfig: Sendable, Equatable {
    /// Unique; the key of the source's state, so a URL can change (301) without losing it.
    public var name: String
    /// http(s):// or file:// (relative paths are resolved against the config file).
    public var url: String
    /// Overrides `schedule.default_interval`.
    public var interval: TimeInterval?
    public var tags: [String]
    /// A hint for language detection.
    public var language: String?
    /// When the article page behind an entry's link is read (`full_text`).
    public var fullText: FullTextMode = .auto

    public init(name: String, url: String, interval: TimeInterval? = nil, tags: [String] = [], language: String? = nil) {
        self.name = name
        self.url = url
        self.interval = interval
        self.tags = tags
        self.language = language
    }
}

/// Where alerts go.
public enum SinkConfig: Sendable, Equatable {
    case file(FileSinkConfig)
    case webhook(WebhookSinkConfig)
    /// A chat or push channel (Slack, Discord, Telegram, ntfy, Matrix, Teams) or e-mail.
    case channel(ChannelSinkConfig)

    /// A short stable name for logs and the outbox (`file:alerts.jsonl`, `webhook:host`, `telegram`).
    public var name: String {
        switch self {
        case .file(let f): return f.name ?? "file:\(f.written)"
        case .webhook(let w): return w.name ?? "webhook:\(URLComponents(string: w.url)?.host ?? w.url)"
        case .channel(let c): return c.name ?? c.channel.type
        }
    }

    /// The sink's template files (none for the alert log, whose lines `tail` reads).
    public var templates: TemplateFiles {
        switch self {
        case .file: return TemplateFiles()
        case .webhook(let w): return w.templates
        case .channel(let c): return c.templates
        }
    }

    /// The config `type`.
    public var type: String {
        switch self {
        case .file: return "file"
        case .webhook: return "webhook"
        case .channel(let c): return c.channel.type
        }
    }

    /// Which alerts the sink takes (`topics`, `min_score`, `tags`, `languages`, `kinds`).
    public var route: AlertRoute {
        switch self {
        case .file(let f): return f.route
        case .webhook(let w): return w.route
        case .channel(let c): return c.route
        }
    }
}

/// A JSON Lines alert log.
public struct FileSinkConfig: Sendable, Equatable {
    public var name: String?
    /// Absolute path.
    public var path: String
    /// As written in the config (relative paths can be re-based by `--log-dir`).
    public var written: String
    public var route = AlertRoute()

    public init(name: String? = nil, path: String, written: String? = nil) {
        self.name = name
        self.path = path
        self.written = written ?? path
    }
}

/// A signed webhook.
public struct WebhookSinkConfig: Sendable, Equatable {
    public var name: String?
    public var url: String
    /// The signing secret (`whsec_<base64>`), resolved from the config, a file or the environment.
    public var secret: Secret
    public var headers: [String: String]
    public var timeout: TimeInterval
    public var route = AlertRoute()
    public var templates = TemplateFiles()

    public init(name: String? = nil, url: String, secret: Secret, headers: [String: String] = [:], timeout: TimeInterval = 10) {
        self.name = name
        self.url = url
        self.secret = secret
        self.headers = headers
        self.timeout = timeout
    }
}

/// A secret value that never prints.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public let value: String
    /// Where it came from, for messages: `secret`, `secret_file /path`, `secret_env NAME`.
    public let origin: String

    public init(_ value: String, origin: String) {
        self.value = value
        self.origin = origin
    }

    public var description: String { "<secret from \(origin)>" }
    public var debugDescription: String { description }
}

/// Fetch limits.
public struct Limits: Sendable, Equatable {
    public var maxBodyBytes: Int = 10 * 1024 * 1024
    /// Transfers in flight at once, all hosts together.
    public var concurrency: Int = 32
    /// Transfers in flight at once to one host.
    public var perHost: Int = 6
    public var connectTimeout: TimeInterval = 10
    public var timeout: TimeInterval = 30

    public init() {}
}

/// Polling bounds; see `PollPolicy` in the daemon.
public struct Schedule: Sendable, Equatable {
    public var defaultInterval: TimeInterval = 300
    public var minInterval: TimeInterval = 60
    public var maxInterval: TimeInterval = 6 * 3600
    /// Longest wait after repeated errors; a source is never disabled.
    public var backoffCap: TimeInterval = 6 * 3600
    /// Fraction of the interval polls are spread by (0.1 = ±10%).
    public var jitter: Double = 0.1

    public init() {}
}

/// What counts as backlog rather than news.
public struct CatchUp: Sendable, Equatable {
    /// Entries published longer ago than this never alert (those matching a topic still feed dedup).
    public var maxAge: TimeInterval = 24 * 3600

    public init() {}
}

/// Token bucket per topic and sink.
public struct FloodControl: Sendable, Equatable {
    /// Alerts that may go out at once.
    public var burst: Int = 10
    /// Tokens regained per hour.
    public var perHour: Double = 30

    public init() {}
}

/// How long state is kept.
public struct Retention: Sendable, Equatable {
    /// Seen entry ids.
    public var seen: TimeInterval = 30 * 86400
    /// Dedup/story index window.
    public var stories: TimeInterval = 7 * 86400
    /// Stories the dedup index keeps at most (about 1.3 KB of memory each, postings included); beyond it the
    /// earliest arrivals are forgotten before `stories` has passed. Only stories that match a topic
    /// are indexed, so a focused watchlist seldom reaches it (a cold pass over a 10,000-feed
    /// gen-farm farm indexes 3,813 of 350,120 entries); it bounds a broad one. Stories an alert was
    /// raised on stay for the whole window, so the bound forgets only stories that raised nothing:
    /// a late reprint of one of those starts a story of its own, which alerts only if it is fresh.
    public var maxStories: Int = 15_000
    /// Delivered alerts and outbox rows.
    public var alerts: TimeInterval = 90 * 86400

    public init() {}
}

/// Alert updates: later copies and reports of an alerted story are sent as an update of it.
public struct AlertSettings: Sendable, Equatable {
    /// At most one update per alert this often, sent only when its reports grew; 0: never.
    public var updateInterval: TimeInterval = 600

    public init() {}
}

/// Optional alerts about the sources themselves.
public struct HealthAlerts: Sendable, Equatable {
    /// Raise one `source-health` alert when a source fails this many polls in
    /// a row (and when it answers 410); nil: never.
    public var alertAfterFailures: Int?

    public init(alertAfterFailures: Int? = nil) { self.alertAfterFailures = alertAfterFailures }
}

import Foundation

/// Where the daemon keeps its state (`store:`). SQLite in `state_dir` unless the config names a
/// PostgreSQL database that several instances share.
public enum StoreConfig: Sendable, Equatable {
    /// `feedwatch.db` in `state_dir`: the embedded default, nothing to set up.
    case sqlite
    case postgresql(PostgreSQLStoreConfig)
}

/// A PostgreSQL database shared by every instance.
public struct PostgreSQLStoreConfig: Sendable, Equatable {
    /// `postgresql://user@host:port/db?…` (libpq's URI form), as written. A password in it is
    /// refused: it would show in `ps`, logs and status; `password_file` holds it instead.
    public var url: String
    /// The absolute path of `password_file`, if given.
    public var passwordFile: String?
    /// The password from `password_file`, read at load (nil when not given, or when the config
    /// was loaded without reading secrets: see `resolvedPassword()`).
    public var password: Secret?
    /// How long an instance holds a source it claimed before another may take it over
    /// (`store.lease`, seconds): renewed while the fetch runs, so it bounds how late a crashed
    /// instance's sources are polled, not how long a fetch may take.
    public var lease: TimeInterval = 120

    public init(url: String, passwordFile: String? = nil, password: Secret? = nil) {
        self.url = url
        self.passwordFile = passwordFile
        self.password = password
    }

    /// The password, reading `password_file` now if the config was loaded without secrets
    /// (`status` does that); nil when there is none.
    public func resolvedPassword() throws -> String? {
        if let password, !password.origin.hasSuffix("(not read)") { return password.value }
        guard let passwordFile else { return nil }
        guard let data = FileManager.default.contents(atPath: passwordFile),
              let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(diagnostics: [ConfigDiagnostic(file: passwordFile, line: 1, column: 1,
                                                             message: "cannot read store.password_file (\(Config.reason(passwordFile)))")])
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The URL with any password masked, for messages and `status`.
    public var redactedURL: String { Self.redact(url) }

    /// `scheme://user:secret@host…` → `scheme://user:***@host…`.
    public static func redact(_ url: String) -> String {
        guard let scheme = url.range(of: "://"),
              let at = url[scheme.upperBound...].firstIndex(of: "@") else { return url }
        let userinfo = url[scheme.upperBound..<at]
        guard let colon = userinfo.firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":***" + String(url[at...])
    }
}

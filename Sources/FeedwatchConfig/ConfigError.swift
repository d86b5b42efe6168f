/// One problem in a configuration file, located like a compiler error.
public struct ConfigDiagnostic: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:column: message`.
    public var description: String { "\(file):\(line):\(column): \(message)" }
}

/// A configuration that was refused, with every problem found (not just the first).
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var diagnostics: [ConfigDiagnostic]
    /// The watchlist path the file names, when it could be read despite the
    /// errors, so `feedwatch check` can validate the watchlist too.
    public var watchlist: String?

    public init(diagnostics: [ConfigDiagnostic], watchlist: String? = nil) {
        self.diagnostics = diagnostics
        self.watchlist = watchlist
    }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

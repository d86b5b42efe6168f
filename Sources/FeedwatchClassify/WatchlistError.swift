/// A place in a watchlist file: 1-based line and column (columns count Unicode scalars, as libyaml does).
public struct SourceLocation: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// One problem found in a watchlist, printed `file:line:column: message`.
public struct Diagnostic: Sendable, Equatable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String

    public init(_ location: SourceLocation, _ message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): \(message)" }
}

/// A watchlist that was refused: every problem found, in file order, one per line.
///
/// A watchlist is never half-loaded: any diagnostic refuses the whole file.
public struct WatchlistError: Error, Sendable, Equatable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics.sorted {
            ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column)
        }
    }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

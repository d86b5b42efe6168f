import Foundation

/// A loaded, validated watchlist: topics whose `@set` references are already resolved.
///
/// Load with `Watchlist.load(path:)`; a file with any problem is refused whole with a
/// `WatchlistError` listing every problem as `file:line:column: message`.
public struct Watchlist: Sendable, Equatable {
    public var topics: [Topic]
    /// The named term sets, as written (members unresolved), in file order.
    public var setNames: [String]
    /// Terms the watchlist compiles to, sets expanded (bounded by the loader); `check` reports it.
    public internal(set) var compiledSize = 0

    public init(topics: [Topic], setNames: [String] = []) {
        self.topics = topics
        self.setNames = setNames
    }

    /// Reads and validates the watchlist at `path`.
    public static func load(path: String) throws -> Watchlist {
        let yaml: String
        do {
            yaml = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let files = FileManager.default
            let reason = !files.fileExists(atPath: path) ? "no such file"
                : !files.isReadableFile(atPath: path) ? "permission denied" : "not UTF-8 text"
            throw WatchlistError(diagnostics: [
                Diagnostic(SourceLocation(file: path, line: 1, column: 1), "cannot read watchlist: \(reason)"),
            ])
        }
        return try parse(yaml: yaml, file: path)
    }

    /// Validates watchlist text; `file` names it in diagnostics.
    public static func parse(yaml: String, file: String) throws -> Watchlist {
        var loader = WatchlistLoader(file: file, fold: TermFolding.fold)
        return try loader.load(yaml)
    }
}

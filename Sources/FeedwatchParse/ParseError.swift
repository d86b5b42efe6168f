/// Why a document could not be read as a feed. One line, prefixed with the stage.
public struct ParseError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Code: String, Sendable {
        /// Nothing but whitespace (or nothing at all).
        case empty
        /// Markup or JSON, but not RSS, RDF, Atom or JSON Feed.
        case notAFeed = "not_a_feed"
        /// XML with no root element (e.g. a prolog only).
        case noRootElement = "no_root_element"
        /// Starts like JSON but is not valid JSON.
        case invalidJSON = "invalid_json"
    }

    public var code: Code
    /// The reason without the `parse:` prefix, e.g. `not RSS, Atom, RDF or JSON Feed (starts with "<html")`.
    public var reason: String

    public init(code: Code, reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "parse: " + reason }

    static let empty = ParseError(code: .empty, reason: "empty document")

    static func notAFeed(startsWith: String) -> ParseError {
        ParseError(code: .notAFeed, reason: "not RSS, Atom, RDF or JSON Feed (starts with \"\(startsWith)\")")
    }
}

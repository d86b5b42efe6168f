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
        /// A feed so broken that nothing (no title, link or entry) could be recovered.
        case unrecoverable
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

    /// gzip bytes (1f 8b): a compressed body that was never decoded, e.g. a `.xml.gz`
    /// file or a server sending gzip without saying so in Content-Encoding.
    static let gzipCompressed = ParseError(code: .notAFeed,
                                           reason: "not RSS, Atom, RDF or JSON Feed (gzip-compressed data)")

    static func notAFeed(startsWith: String) -> ParseError {
        ParseError(code: .notAFeed, reason: "not RSS, Atom, RDF or JSON Feed (starts with \"\(startsWith)\")")
    }
}

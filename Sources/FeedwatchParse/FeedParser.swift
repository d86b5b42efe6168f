import Foundation
import FeedwatchModel

/// Turns a document into a `Feed`: RSS 0.9x/2.0, RSS 1.0 (RDF), Atom 0.3/1.0 and
/// JSON Feed 1.0/1.1, recognised from the content (never the file name).
public enum FeedParser {
    /// Auto-detects RSS 0.9x/2.0, RSS 1.0 (RDF), Atom 0.3/1.0, JSON Feed 1.0/1.1 from content.
    ///
    /// - Parameters:
    ///   - baseURL: the feed's URL (after redirects); relative links are resolved
    ///     against it and any `xml:base`. nil for a local file: links stay relative.
    ///   - charset: the HTTP Content-Type charset, which outranks the XML prolog.
    /// - Throws: `ParseError` when the document is not a feed. Damaged feeds do not
    ///   throw: what could be recovered is returned with `damage` set.
    public static func parse(_ data: Data, baseURL: String? = nil, charset: String? = nil) throws -> ParsedFeed {
        _ = LibXML2.ready
        if data.withUnsafeBytes(FormatDetector.isGzip) { throw ParseError.gzipCompressed }
        let decoded = data.withUnsafeBytes { Transcoder.toUTF8($0, httpCharset: charset) }
        if let utf8 = decoded.utf8 {
            return try utf8.withUnsafeBytes { try parse(utf8: $0, baseURL: baseURL, note: decoded.note) }
        }
        return try data.withUnsafeBytes { raw in
            try parse(utf8: UnsafeRawBufferPointer(rebasing: raw[decoded.offset...]), baseURL: baseURL, note: decoded.note)
        }
    }

    private static func parse(utf8 bytes: UnsafeRawBufferPointer, baseURL: String?, note: String?) throws -> ParsedFeed {
        switch FormatDetector.kind(bytes) {
        case .json:
            return try parseJSON(bytes, baseURL: baseURL, note: note)
        case .xml:
            return try parseXML(bytes, baseURL: baseURL, note: note)
        case .unknown:
            if FormatDetector.firstNonSpace(bytes) == nil { throw ParseError.empty }
            throw ParseError.notAFeed(startsWith: FormatDetector.preview(bytes))
        }
    }

    private static func parseXML(_ bytes: UnsafeRawBufferPointer, baseURL: String?, note: String?) throws -> ParsedFeed {
        var notes: [String] = []
        // Whitespace before the prolog is an error to libxml2 and harmless to everyone else.
        let body = UnsafeRawBufferPointer(rebasing: bytes[(FormatDetector.firstNonSpace(bytes) ?? 0)...])
        var cleaned: [UInt8]?
        if let junk = FormatDetector.junkBeforeRoot(body) {
            notes.append("junk before the root element")
            var c = [UInt8]()
            c.reserveCapacity(body.count)
            c.append(contentsOf: UnsafeRawBufferPointer(rebasing: body[..<junk.lowerBound]))
            c.append(contentsOf: UnsafeRawBufferPointer(rebasing: body[junk.upperBound...]))
            cleaned = c
        }
        let repaired = cleaned.map { c in c.withUnsafeBytes { AmpersandRepair.repair($0) } } ?? AmpersandRepair.repair(body)
        if repaired != nil { notes.append("unescaped & repaired") }
        var prepared = repaired ?? cleaned
        let cuts = prepared.map { p in p.withUnsafeBytes(AttributeLimit.excess) } ?? AttributeLimit.excess(body)
        if !cuts.isEmpty {
            notes.append("more than \(AttributeLimit.max) attributes on an element (the rest ignored)")
            prepared = prepared.map { p in p.withUnsafeBytes { AttributeLimit.blank($0, cuts) } } ?? AttributeLimit.blank(body, cuts)
        }
        let streamed = StreamedEntries()
        let consumer: XMLTreeBuilder.Consumer = { streamed.take($0, root: $1, depth: $2, cutOff: $3) }
        let result: XMLTreeBuilder.Result
        if let r = prepared {
            result = r.withUnsafeBytes { XMLTreeBuilder.parse($0, baseURL: baseURL, consumer: consumer) }
        } else {
            result = XMLTreeBuilder.parse(body, baseURL: baseURL, consumer: consumer)
        }
        guard let root = result.root else {
            if FormatDetector.firstTag(bytes, from: 0).map({ bytes[$0 + 1] != UInt8(ascii: "?") }) ?? false {
                throw ParseError.notAFeed(startsWith: FormatDetector.preview(bytes))
            }
            throw ParseError(code: .noRootElement, reason: "no root element (an XML prolog at most)")
        }
        if let d = result.damage { notes.insert(d, at: 0) }
        if streamed.dropped > 0 {
            notes.append("more than \(StreamedEntries.maxEntries) entries (\(streamed.dropped) ignored)")
        }
        if let note { notes.append(note) }
        let damage = notes.isEmpty ? nil : notes.joined(separator: "; ")
        var parsed = try adapt(root, streamed: streamed, damage: damage)
        parsed.truncated = result.truncated
        // Streamed entries come first in `feed.entries`, so their indices carry over.
        parsed.incompleteEntries = streamed.cutOff
        let f = parsed.feed
        if let damage, f.title == nil, f.link == nil, f.entries.isEmpty {
            throw ParseError(code: .unrecoverable, reason: "damaged beyond recovery (\(damage))")
        }
        return parsed
    }

    private static func adapt(_ root: XMLElement, streamed: StreamedEntries, damage: String?) throws -> ParsedFeed {

        switch root.name {
        case "rss", "channel":
            let doc = RSSDocument(rss: root)
            return ParsedFeed(feed: RSSAdapter.feed(doc, streamed: streamed.entries), format: .rss, damage: damage,
                              ttl: doc.channel.ttl)
        case "rdf:rdf":
            let doc = RSSDocument(rdf: root)
            return ParsedFeed(feed: RSSAdapter.feed(doc, streamed: streamed.entries), format: .rdf, damage: damage,
                              ttl: doc.channel.ttl)
        default:
            if root.localName == "feed" {
                return ParsedFeed(feed: AtomAdapter.feed(AtomDocument(root), streamed: streamed.entries), format: .atom,
                                  damage: damage)
            }
            if root.localName == "rdf" {
                let doc = RSSDocument(rdf: root)
                return ParsedFeed(feed: RSSAdapter.feed(doc, streamed: streamed.entries), format: .rdf, damage: damage,
                                  ttl: doc.channel.ttl)
            }
            throw ParseError.notAFeed(startsWith: "<" + root.qname)
        }
    }

    private static func parseJSON(_ bytes: UnsafeRawBufferPointer, baseURL: String?, note: String?) throws -> ParsedFeed {
        let doc: JSONFeedDocument
        do {
            doc = try JSONDecoder().decode(JSONFeedDocument.self, from: Data(bytes))
        } catch {
            if let deep = JSONDepth.tooDeep(bytes) {
                throw ParseError(code: .invalidJSON,
                                 reason: "damaged feed: nesting deeper than \(JSONDepth.max) at line \(deep)")
            }
            throw ParseError(code: .invalidJSON, reason: "invalid JSON (\(jsonErrorSummary(error)))")
        }
        guard doc.isJSONFeed else { throw ParseError.notAFeed(startsWith: FormatDetector.preview(bytes)) }
        let damage = [doc.damage, note].compactMap { $0 }.joined(separator: "; ")
        return ParsedFeed(feed: JSONFeedAdapter.feed(doc, baseURL: baseURL), format: .json,
                          damage: damage.isEmpty ? nil : damage)
    }

    private static func jsonErrorSummary(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let ctx) = error {
            let underlying = (ctx.underlyingError as? NSError)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return underlying ?? ctx.debugDescription
        }
        return "\(error)".split(separator: "\n").first.map(String.init) ?? "unreadable"
    }
}

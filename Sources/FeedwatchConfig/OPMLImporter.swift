import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads the feed list every feed reader exports (OPML 1.0/2.0): each
/// `<outline xmlUrl=…>` is a source; the titles of the folders it sits in
/// become its tags.
public enum OPMLImporter {
    /// One feed found in an OPML file.
    public struct Feed: Sendable, Equatable {
        public var name: String
        public var url: String
        public var tags: [String]
        public var language: String?

        public init(name: String, url: String, tags: [String] = [], language: String? = nil) {
            self.name = name
            self.url = url
            self.tags = tags
            self.language = language
        }
    }

    /// A file that is not OPML.
    public struct ImportError: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { "import-opml: \(message)" }
    }

    /// The most folder tags a feed gets: those of the folders nearest to it. Real exports nest
    /// two or three levels; 5,000 nested folders copied whole onto each of 5,000 feeds took a
    /// minute and half a gigabyte.
    public static let maxTags = 16

    public static func parse(_ data: Data) throws -> [Feed] {
        let delegate = Collector()
        let parser = XMLParser(data: withoutProcessingInstructions(repairedUTF8(data)))
        parser.shouldResolveExternalEntities = false
        parser.delegate = delegate
        let ok = parser.parse()
        guard delegate.sawOPML else {
            throw ImportError(message: ok ? "not an OPML document (no <opml> root)"
                                          : "not well-formed XML at line \(parser.lineNumber)")
        }
        // Feed readers export the same feed in several folders: keep the first, merge the tags.
        var seen: [String: Int] = [:]
        var feeds: [Feed] = []
        for f in delegate.feeds {
            if let i = seen[f.url] {
                feeds[i].tags = Array(Array(Set(feeds[i].tags + f.tags)).sorted().prefix(maxTags))
            } else {
                seen[f.url] = feeds.count
                feeds.append(f)
            }
        }
        return feeds
    }

    /// Foundation's XMLParser traps on a processing instruction whose name is not UTF-8
    /// (`<?x\u{FF} ...?>`, found by fuzzing). A document in UTF-8 (declared, or by default) with
    /// bytes that are not gets each one replaced by U+FFFD first; other encodings are transcoded
    /// to UTF-8 by the parser itself before any name is built.
    static func repairedUTF8(_ data: Data) -> Data {
        if String(data: data, encoding: .utf8) != nil { return data }
        let prolog = String(decoding: data.prefix(200), as: UTF8.self).lowercased()
        if let range = prolog.range(of: "encoding="), !prolog[range.upperBound...].dropFirst().hasPrefix("utf-8"),
           prolog.hasPrefix("<?xml") {
            return data
        }
        return Data(String(decoding: data, as: UTF8.self).utf8)
    }

    /// Foundation's parser also reads past a processing instruction that has no data (`<?x?>`:
    /// a NULL string, found by fuzzing). OPML needs none: every `<?…?>` but the XML declaration
    /// becomes one space before parsing, in one pass (a space, not nothing: the bytes on either
    /// side of a removed one could otherwise meet as a new `<?`).
    static func withoutProcessingInstructions(_ data: Data) -> Data {
        let bytes = [UInt8](data)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "<"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "?"),
               !(out.isEmpty && bytes[i...].starts(with: Array("<?xml ".utf8))) {
                var j = i + 2
                while j + 1 < bytes.count, !(bytes[j] == UInt8(ascii: "?") && bytes[j + 1] == UInt8(ascii: ">")) { j += 1 }
                out.append(UInt8(ascii: " "))
                i = j + 2
                continue
            }
            out.append(bytes[i])
            i += 1
        }
        return Data(out)
    }

    /// YAML list items for `sources:`, one flow mapping per line, names and URLs quoted.
    public static func yaml(_ feeds: [Feed], indent: String = "  ") -> String {
        feeds.map { f in
            var parts = ["name: \(quote(f.name))", "url: \(quote(f.url))"]
            if let l = f.language { parts.append("language: \(quote(l))") }
            if !f.tags.isEmpty { parts.append("tags: [\(f.tags.map(quote).joined(separator: ", "))]") }
            return "\(indent)- {\(parts.joined(separator: ", "))}\n"
        }.joined()
    }

    /// A double-quoted YAML scalar: safe for any title.
    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n", "\r", "\t": out += " "
            default:
                if u.value < 0x20 { continue }
                out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    private final class Collector: NSObject, XMLParserDelegate {
        var feeds: [Feed] = []
        var sawOPML = false
        /// Per open outline: whether it is a folder (with a tag in `folders`).
        private var stack: [Bool] = []
        /// The tags of the open folders, from the root down.
        private var folders: [String] = []

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            let local = name.lowercased()
            if local == "opml" { sawOPML = true }
            guard local == "outline" else { return }
            let attrs = Dictionary(attributes.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
            let title = (attrs["title"] ?? attrs["text"])?.trimmingCharacters(in: .whitespacesAndNewlines)
            if let url = attrs["xmlurl"]?.trimmingCharacters(in: .whitespacesAndNewlines), !url.isEmpty {
                let tags = Array(folders.suffix(OPMLImporter.maxTags))
                let name = title.flatMap { $0.isEmpty ? nil : $0 } ?? URLComponents(string: url)?.host ?? url
                let lang = attrs["language"].flatMap { $0.isEmpty ? nil : $0.lowercased() }
                feeds.append(Feed(name: name, url: url, tags: tags, language: lang))
                stack.append(false)
            } else if let title, case let tag = Self.tag(title), !tag.isEmpty {
                stack.append(true)
                folders.append(tag)
            } else {
                stack.append(false)
            }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name.lowercased() == "outline", let folder = stack.popLast(), folder { folders.removeLast() }
        }

        /// `World News / Africa` → `world-news-africa`.
        static func tag(_ title: String) -> String {
            let folded = title.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            var out = ""
            for c in folded {
                if c.isLetter || c.isNumber { out.append(c) } else if !out.hasSuffix("-") && !out.isEmpty { out.append("-") }
            }
            while out.hasSuffix("-") { out.removeLast() }
            return out
        }
    }
}

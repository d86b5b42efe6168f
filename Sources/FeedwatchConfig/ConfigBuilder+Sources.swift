import Foundation
import Yams

extension ConfigBuilder {
    static let sourceKeys: Set<String> = ["name", "url", "interval", "tags", "language", "full_text"]

    func sources(_ node: Node) -> [SourceConfig] {
        guard let seq = node.sequence else {
            reader.error(node, "sources must be a list")
            return []
        }
        if seq.isEmpty { reader.error(node, "sources is empty: list at least one feed") }
        var out: [SourceConfig] = []
        var names: [String: Node] = [:]
        var urls: [String: Node] = [:]
        for item in seq {
            guard let (source, nameNode, urlNode) = self.source(item) else { continue }
            if let first = names[source.name] {
                reader.error(nameNode ?? item, "duplicate source name '\(source.name)' (first at line \(first.mark?.line ?? 0))")
                continue
            }
            if let first = urls[source.url] {
                reader.error(urlNode, "duplicate source url (first at line \(first.mark?.line ?? 0))")
                continue
            }
            names[source.name] = nameNode ?? item
            urls[source.url] = urlNode
            out.append(source)
        }
        return out
    }

    /// The source, with the nodes of its name (if written) and url for later messages.
    private func source(_ node: Node) -> (SourceConfig, Node?, Node)? {
        guard let m = reader.mapping(node, what: "a source", allowed: Self.sourceKeys) else { return nil }
        guard let urlNode = m["url"]?.value else {
            reader.error(node, "a source needs a 'url'")
            return nil
        }
        guard let written = reader.string(urlNode, what: "url"), let url = feedURL(written, node: urlNode) else { return nil }
        let name = m["name"].flatMap { reader.string($0.value, what: "name") } ?? Self.defaultName(url)
        var source = SourceConfig(name: name, url: url)
        if let n = m["interval"]?.value { source.interval = reader.duration(n, what: "interval", min: 1) }
        if let n = m["tags"]?.value { source.tags = reader.strings(n, what: "tags") ?? [] }
        if let n = m["language"]?.value, let lang = reader.string(n, what: "language") {
            if lang.count < 2 || lang.count > 16 || !lang.allSatisfy({ $0.isLetter || $0 == "-" || $0 == "_" }) {
                reader.error(n, "language must be a language tag such as en or fr")
            } else {
                source.language = lang.lowercased()
            }
        }
        if let n = m["full_text"]?.value, let mode = reader.string(n, what: "full_text") {
            if let m = FullTextMode(rawValue: mode.lowercased()) {
                source.fullText = m
            } else {
                reader.error(n, "full_text must be auto, always or never (not '\(mode)')")
            }
        }
        return (source, m["name"]?.value, urlNode)
    }

    /// http(s) URLs as written; `file:` URLs and plain paths as absolute `file://` URLs.
    func feedURL(_ text: String, node: Node) -> String? {
        let lower = text.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            guard let c = URLComponents(string: text), let host = c.host, !host.isEmpty else {
                reader.error(node, "'\(text)' is not a valid URL")
                return nil
            }
            return text
        }
        var rest = text
        if lower.hasPrefix("file://") {
            rest = String(text.dropFirst(7))
            // file://host/path is not a local file; only file:///abs or our relative file://./x.
            if !rest.hasPrefix("/") && !rest.hasPrefix(".") {
                reader.error(node, "file URLs are file:///absolute/path or a path relative to the config file")
                return nil
            }
        } else if lower.hasPrefix("file:") {
            rest = String(text.dropFirst(5))
        } else if let colon = text.firstIndex(of: ":"), text[..<colon].allSatisfy({ $0.isLetter }), text[..<colon].count > 1 {
            reader.error(node, "unsupported URL scheme '\(text[..<colon])' (use http, https or file)")
            return nil
        }
        rest = rest.removingPercentEncoding ?? rest
        return "file://" + path(rest)
    }

    /// The URL without its scheme (`www.rfi.fr/fr/afrique/rss`): unique whenever URLs are,
    /// so unnamed feeds from one site do not clash; a file's name for local feeds.
    static func defaultName(_ url: String) -> String {
        if url.hasPrefix("file://") { return ((url.dropFirst(7)) as NSString).lastPathComponent }
        guard let r = url.range(of: "://") else { return url }
        return String(url[r.upperBound...])
    }
}

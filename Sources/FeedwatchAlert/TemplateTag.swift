/// One `{{…}}` tag of a template and where it is: Mustache's parser keeps no positions after
/// parsing, and an unknown variable found while rendering is reported at its tag. The scan also
/// refuses what feedwatch templates do not support (partials, unknown helpers) with their place.
struct TemplateTag: Sendable {
    /// The name's first segment (`link` for `link.host`), as the root scope sees it.
    var root: String
    var helpers: [String]
    var line: Int
    var column: Int

    struct Problem: Error {
        var line: Int
        var column: Int
        var message: String
    }

    /// Helpers Mustache applies to lists (`{{count(lines)}}`, `{{#first(outlets)}}`…).
    static let listHelpers: Set<String> = ["first", "last", "index", "even", "odd", "reversed", "count", "empty", "sorted"]

    /// The tags of `text`, with default delimiters; scanning stops at a set-delimiter tag (places
    /// after it are not reported, and Mustache's own parser still checks the syntax).
    static func scan(_ text: String) throws(Problem) -> [TemplateTag] {
        var tags: [TemplateTag] = []
        let chars = Array(text)
        var i = 0, line = 1, column = 1
        func advance() {
            if chars[i] == "\n" { line += 1; column = 1 } else { column += 1 }
            i += 1
        }
        while i < chars.count {
            guard chars[i] == "{", i + 1 < chars.count, chars[i + 1] == "{" else { advance(); continue }
            let (tagLine, tagColumn) = (line, column)
            advance(); advance()
            var body = ""
            while i < chars.count, !(chars[i] == "}" && i + 1 < chars.count && chars[i + 1] == "}") {
                body.append(chars[i])
                advance()
            }
            guard i < chars.count else { break }           // unclosed: Mustache's parser says where
            advance(); advance()
            if body.hasPrefix("{"), i < chars.count, chars[i] == "}" { advance() }
            var inner = Substring(body)
            let sigil = inner.first
            switch sigil {
            case "!": continue
            case "=": return tags
            case ">", "<", "$":
                throw Problem(line: tagLine, column: tagColumn, message: "partials and blocks are not supported in alert templates")
            case "%": continue
            case "#", "^", "/", "&", "{": inner = inner.dropFirst()
            default: break
            }
            let name = inner.trimmedOfWhitespace()
            guard sigil != "/" else { continue }            // the opening tag was checked
            var helpers: [String] = []
            var rest = Substring(name)
            while let open = rest.firstIndex(of: "(") {
                helpers.append(String(rest[..<open]))
                rest = rest[rest.index(after: open)...]
            }
            let variable = String(rest.prefix { $0 != ")" })
            for h in helpers where !TemplateValue.isHelper(h) && !listHelpers.contains(h) {
                throw Problem(line: tagLine, column: tagColumn,
                              message: "unknown helper '\(h)' (json, html, markdown, slack, upper, lower, truncateN; "
                                  + "on lists first, last, count, empty)")
            }
            guard variable != ".", !variable.isEmpty else { continue }
            let root = variable.split(separator: ".").first.map(String.init) ?? variable
            tags.append(TemplateTag(root: root, helpers: helpers, line: tagLine, column: tagColumn))
        }
        return tags
    }
}

private extension Substring {
    func trimmedOfWhitespace() -> String {
        let ws: Set<Character> = [" ", "\t", "\n", "\r"]
        return String(drop { ws.contains($0) }.reversed().drop { ws.contains($0) }.reversed())
    }
}

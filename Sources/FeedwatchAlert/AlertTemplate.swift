import Foundation
import Mustache

/// A Mustache template a sink renders its message (or its whole JSON payload) with. Parsed once,
/// when the sink is built; a name the alert does not have is an error with its `file:line:column`
/// (Mustache alone would render it as nothing, and a typo would go unnoticed until a reader asked
/// why the messages are empty).
public struct AlertTemplate: Sendable {
    /// The file as named in messages.
    public let file: String
    /// The escaping of `{{x}}`; `{{{x}}}` is raw.
    public let escaping: TemplateEscape.ContentType
    private let template: MustacheTemplate
    private let tags: [TemplateTag]

    /// Reads and parses `path`.
    public init(path: String, escaping: TemplateEscape.ContentType) throws(TemplateError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TemplateError(file: path, message: "cannot read template (\(Self.reason(path)))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TemplateError(file: path, message: "template is not UTF-8")
        }
        try self.init(text: text, file: path, escaping: escaping)
    }

    public init(text: String, file: String, escaping: TemplateEscape.ContentType) throws(TemplateError) {
        _ = TemplateEscape.registered
        self.file = file
        self.escaping = escaping
        do { tags = try TemplateTag.scan(text) } catch {
            throw TemplateError(file: file, line: error.line, column: error.column, message: error.message)
        }
        let known = Set(TemplateFields.names).union(TemplateFields.itemNames)
        if let tag = tags.first(where: { !known.contains($0.root) }) {
            throw TemplateError(file: file, line: tag.line, column: tag.column, message: "unknown variable '\(tag.root)'")
        }
        // The channel's escaping as the first (standalone, so invisible) line: errors are one line down.
        do {
            template = try MustacheTemplate(string: "{{%CONTENT_TYPE:\(escaping.rawValue)}}\n" + text)
        } catch let e as MustacheTemplate.ParserError {
            throw TemplateError(file: file, line: max(e.context.lineNumber - 1, 1), column: e.context.columnNumber,
                                message: Self.describe(e.error))
        } catch {
            throw TemplateError(file: file, message: "\(error)")
        }
    }

    /// Renders `scope`; one trailing newline is dropped, so a file may end with one.
    func render(_ scope: TemplateScope, misses: TemplateMisses) throws(TemplateError) -> String {
        misses.names.removeAll()
        var out = template.render(scope)
        if let name = misses.names.first {
            let tag = tags.first { $0.root == name }
            throw TemplateError(file: file, line: tag?.line, column: tag?.column, message: "unknown variable '\(name)'")
        }
        if out.hasSuffix("\n") { out.removeLast() }
        return out
    }

    /// A JSON template's output made compact (whitespace between tokens dropped, strings and key
    /// order kept) and checked: a receiver gets valid JSON or the sink reports which template broke it.
    func compactJSON(_ rendered: String) throws(TemplateError) -> String {
        do { try StrictJSON.validate(rendered) } catch {
            // Where in the output, and the text there: the template line is not known after rendering.
            let bytes = Array(rendered.utf8)
            let before = bytes.prefix(error.offset)
            let line = before.filter { $0 == 0x0A }.count + 1
            let column = before.count - (before.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0) + 1
            let near = String(decoding: bytes[error.offset...].prefix(30), as: UTF8.self)
                .replacingOccurrences(of: "\n", with: " ")
            throw TemplateError(file: file, message: "rendered invalid JSON: \(error.message) at output line \(line) "
                                    + "column \(column), near '\(near)'")
        }
        return Self.compact(rendered)
    }

    static func compact(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var inString = false
        var escaped = false
        for u in s.unicodeScalars {
            if inString {
                out.append(u)
                if escaped { escaped = false } else if u == "\\" { escaped = true } else if u == "\"" { inString = false }
            } else if u == "\"" {
                inString = true
                out.append(u)
            } else if u != " " && u != "\n" && u != "\t" && u != "\r" {
                out.append(u)
            }
        }
        return String(out)
    }

    static func describe(_ error: any Error) -> String {
        guard let e = error as? MustacheTemplate.Error else { return "\(error)" }
        switch e {
        case .sectionCloseNameIncorrect: return "section closed with the wrong name"
        case .unfinishedName: return "tag not closed (or a name with characters Mustache does not allow)"
        case .expectedSectionEnd: return "section not closed ({{/name}} missing)"
        case .invalidSetDelimiter: return "bad set-delimiter tag"
        case .transformAppliedToInheritanceSection: return "helper applied to an inheritance block"
        case .illegalTokenInsideInheritSection: return "tag not allowed inside an inheritance block"
        case .textInsideInheritSection: return "text inside an inheritance block"
        case .invalidConfigVariableSyntax: return "bad {{% … }} pragma"
        case .unrecognisedConfigVariable: return "unknown pragma or content type"
        }
    }

    static func reason(_ path: String) -> String {
        var st = stat()
        if stat(path, &st) != 0 { return String(cString: strerror(errno)) }
        return (st.st_mode & S_IFMT) == S_IFDIR ? "a directory" : "permission denied"
    }
}

/// A template problem: `file:line:column: message`, or `file: message` when no place applies.
public struct TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        guard let line else { return "\(file): \(message)" }
        return "\(file):\(line):\(column ?? 1): \(message)"
    }
}

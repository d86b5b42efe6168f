/// Parses the term language inside a watchlist string:
///
///     expr   := or ("EXCEPT" or)*
///     or     := near ("OR" near)*
///     near   := phrase ("NEAR/" n phrase)*
///     phrase := primary+            (adjacent words form a phrase)
///     primary:= word | word* | "quoted words" | @set | "(" expr ")"
///
/// Operators are upper case (as in EMM alert definitions), so `or` and `near` stay ordinary words.
/// Words are folded and split exactly as story text is (`MatchFolder`, `WordSplitter`), so
/// `N'Djamena` and `Ségou` match the way they appear in stories.
struct ExpressionParser {
    typealias Fold = @Sendable (String) -> [String]

    private enum Lexeme: Equatable {
        case word(String)          // raw word, may end with *
        case quoted(String)
        case setRef(String)
        case open, close
        case or, except
        case near(Int)
    }

    private struct Located {
        let lexeme: Lexeme
        let offset: Int
    }

    static let maxNear = 200
    /// The deepest a term may nest (parentheses, chained NEAR/n or EXCEPT): ample for any
    /// real rule, and what keeps parsing, resolving and matching (all recursive) off the
    /// end of the stack on a rule nesting 100,000 parentheses.
    static let maxDepth = 32

    let fold: Fold
    private var lexemes: [Located] = []
    private var index = 0
    private var depth = 0
    private var diagnostics: [Diagnostic] = []
    private var references: [SetReference] = []
    private let base: SourceLocation

    /// A `@name` inside an expression, kept so an unknown set is reported where it is written.
    struct SetReference: Equatable {
        let name: String
        let location: SourceLocation
    }

    struct Parsed {
        let expression: TermExpression
        let references: [SetReference]
    }

    init(base: SourceLocation, fold: @escaping Fold) {
        self.base = base
        self.fold = fold
    }

    /// Parses `text`; `base` is the location of its first character.
    static func parse(_ text: String, at base: SourceLocation, fold: @escaping Fold) -> Result<Parsed, WatchlistError> {
        var parser = ExpressionParser(base: base, fold: fold)
        return parser.run(text)
    }

    private mutating func run(_ text: String) -> Result<Parsed, WatchlistError> {
        lex(text)
        if !diagnostics.isEmpty { return .failure(WatchlistError(diagnostics: diagnostics)) }
        guard !lexemes.isEmpty else {
            return .failure(WatchlistError(diagnostics: [Diagnostic(base, "empty term")]))
        }
        let expr = parseExcept()
        if diagnostics.isEmpty, index < lexemes.count {
            let extra = lexemes[index]
            let message = extra.lexeme == .close ? "unbalanced ')': no matching '('" : "unexpected \(describe(extra.lexeme))"
            error(at: extra.offset, message)
        }
        if let expr, diagnostics.isEmpty { return .success(Parsed(expression: expr, references: references)) }
        return .failure(WatchlistError(diagnostics: diagnostics))
    }

    // MARK: Lexing

    private mutating func lex(_ text: String) {
        let scalars = Array(text.unicodeScalars)
        var i = 0
        func isSpace(_ s: Unicode.Scalar) -> Bool { s.properties.isWhitespace }
        while i < scalars.count {
            let s = scalars[i]
            if isSpace(s) { i += 1; continue }
            let start = i
            switch s {
            case "(": lexemes.append(Located(lexeme: .open, offset: start)); i += 1
            case ")": lexemes.append(Located(lexeme: .close, offset: start)); i += 1
            case "\"":
                var j = i + 1
                while j < scalars.count, scalars[j] != "\"" { j += 1 }
                guard j < scalars.count else {
                    error(at: start, "unbalanced '\"': quoted phrase is not closed")
                    return
                }
                var inner = String.UnicodeScalarView()
                inner.append(contentsOf: scalars[(i + 1)..<j])
                lexemes.append(Located(lexeme: .quoted(String(inner)), offset: start))
                i = j + 1
            default:
                var j = i
                while j < scalars.count, !isSpace(scalars[j]), scalars[j] != "(", scalars[j] != ")", scalars[j] != "\"" { j += 1 }
                var view = String.UnicodeScalarView()
                view.append(contentsOf: scalars[i..<j])
                lexWord(String(view), at: start)
                i = j
            }
        }
    }

    private mutating func lexWord(_ raw: String, at offset: Int) {
        switch raw {
        case "OR", "|": lexemes.append(Located(lexeme: .or, offset: offset)); return
        case "EXCEPT": lexemes.append(Located(lexeme: .except, offset: offset)); return
        case "AND", "&":
            error(at: offset, "'AND' is not an operator inside a term; combine terms with an 'all:' group")
            return
        case "NOT":
            error(at: offset, "'NOT' is not an operator inside a term; use 'EXCEPT' or a 'none:' group")
            return
        default: break
        }
        if raw == "NEAR" || raw.hasPrefix("NEAR/") {
            let digits = raw.dropFirst(5)
            guard raw.hasPrefix("NEAR/"), let n = Int(digits), n >= 1, n <= Self.maxNear else {
                error(at: offset, "'\(raw)': proximity needs a distance in words from 1 to \(Self.maxNear), e.g. NEAR/10")
                return
            }
            lexemes.append(Located(lexeme: .near(n), offset: offset))
            return
        }
        if raw.hasPrefix("@") {
            let name = String(raw.dropFirst())
            guard !name.isEmpty, name.unicodeScalars.allSatisfy(Self.isSetNameScalar) else {
                error(at: offset, "'\(raw)': a set reference is '@' followed by a set name (letters, digits, '_', '-')")
                return
            }
            lexemes.append(Located(lexeme: .setRef(name), offset: offset))
            return
        }
        lexemes.append(Located(lexeme: .word(raw), offset: offset))
    }

    static func isSetNameScalar(_ s: Unicode.Scalar) -> Bool {
        s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "_" || s == "-"
    }

    // MARK: Parsing

    private mutating func parseExcept() -> TermExpression? {
        guard var left = parseOr() else { return nil }
        var chained = 0
        while index < lexemes.count, lexemes[index].lexeme == .except {
            chained += 1
            guard tooDeep(depth + chained, at: lexemes[index].offset) == false else { return nil }
            index += 1
            guard let right = parseOr() else { return nil }
            left = .except(left, right)
        }
        return left
    }

    private mutating func parseOr() -> TermExpression? {
        guard let first = parseNear() else { return nil }
        var alternatives = [first]
        while index < lexemes.count, lexemes[index].lexeme == .or {
            index += 1
            guard let next = parseNear() else { return nil }
            alternatives.append(next)
        }
        return alternatives.count == 1 ? first : .any(alternatives)
    }

    private mutating func parseNear() -> TermExpression? {
        guard var left = parsePhrase() else { return nil }
        var chained = 0
        while index < lexemes.count, case .near(let n) = lexemes[index].lexeme {
            chained += 1
            guard tooDeep(depth + chained, at: lexemes[index].offset) == false else { return nil }
            index += 1
            guard let right = parsePhrase() else { return nil }
            left = .near(left, right, distance: n)
        }
        return left
    }

    private mutating func parsePhrase() -> TermExpression? {
        var parts: [(TermExpression, Int)] = []
        while index < lexemes.count {
            let located = lexemes[index]
            switch located.lexeme {
            case .word, .quoted, .setRef, .open:
                guard let primary = parsePrimary() else { return nil }
                parts.append((primary, located.offset))
            case .close, .or, .except, .near:
                if parts.isEmpty {
                    error(at: located.offset, "expected a word, phrase, @set or '(' before \(describe(located.lexeme))")
                    return nil
                }
                return combine(parts)
            }
        }
        if parts.isEmpty {
            error(at: lexemes.last.map { $0.offset } ?? 0, "expression ends where a word, phrase or @set is expected")
            return nil
        }
        return combine(parts)
    }

    private mutating func combine(_ parts: [(TermExpression, Int)]) -> TermExpression? {
        if parts.count == 1 { return parts[0].0 }
        var words: [TermExpression] = []
        for (part, offset) in parts {
            switch part {
            case .word, .prefix: words.append(part)
            case .phrase(let inner): words.append(contentsOf: inner)
            default:
                error(at: offset, "a phrase can only hold words; join alternatives with OR or NEAR/n")
                return nil
            }
        }
        return .phrase(words)
    }

    private mutating func parsePrimary() -> TermExpression? {
        let located = lexemes[index]
        index += 1
        switch located.lexeme {
        case .setRef(let name):
            var location = base
            location.column += located.offset
            references.append(SetReference(name: name, location: location))
            return .set(name)
        case .quoted(let text):
            return words(text, at: located.offset)
        case .word(let raw):
            return words(raw, at: located.offset)
        case .open:
            depth += 1
            defer { depth -= 1 }
            guard tooDeep(depth, at: located.offset) == false else { return nil }
            guard let inner = parseExcept() else { return nil }
            guard index < lexemes.count, lexemes[index].lexeme == .close else {
                error(at: located.offset, "unbalanced '(': no matching ')'")
                return nil
            }
            index += 1
            return inner
        default:
            error(at: located.offset, "unexpected \(describe(located.lexeme))")
            return nil
        }
    }

    /// Folds raw text into word/prefix components; a trailing `*` makes the last one a prefix.
    private mutating func words(_ raw: String, at offset: Int) -> TermExpression? {
        var text = Substring(raw)
        var wildcard = false
        if text.hasSuffix("*") {
            wildcard = true
            text = text.dropLast()
        }
        if let star = text.firstIndex(of: "*") {
            let column = raw.unicodeScalars.distance(from: raw.unicodeScalars.startIndex, to: star)
            error(at: offset + column, "'*' is a prefix wildcard and may only end a word, e.g. jihad*")
            return nil
        }
        let folded = fold(String(text))
        guard !folded.isEmpty else {
            error(at: offset, "'\(raw)' holds no word to match")
            return nil
        }
        if wildcard, folded.last!.unicodeScalars.count < 3 {
            error(at: offset, "'\(raw)': a wildcard needs at least 3 letters before '*'")
            return nil
        }
        var parts = folded.map { TermExpression.word($0) }
        if wildcard { parts[parts.count - 1] = .prefix(folded.last!) }
        return parts.count == 1 ? parts[0] : .phrase(parts)
    }

    private mutating func tooDeep(_ depth: Int, at offset: Int) -> Bool {
        guard depth > Self.maxDepth else { return false }
        error(at: offset, "term nests deeper than \(Self.maxDepth) (parentheses, NEAR/n or EXCEPT)")
        return true
    }

    private func describe(_ lexeme: Lexeme) -> String {
        switch lexeme {
        case .word(let w): "'\(w)'"
        case .quoted(let q): "'\"\(q)\"'"
        case .setRef(let name): "'@\(name)'"
        case .open: "'('"
        case .close: "')'"
        case .or: "'OR'"
        case .except: "'EXCEPT'"
        case .near(let n): "'NEAR/\(n)'"
        }
    }

    private mutating func error(at offset: Int, _ message: String) {
        var location = base
        location.column += offset
        diagnostics.append(Diagnostic(location, message))
    }
}

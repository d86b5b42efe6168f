/// A parsed term expression, the little language inside each watchlist string.
///
/// Words are stored folded (as the story tokenizer folds them), so matching never folds again.
public indirect enum TermExpression: Sendable, Equatable, Hashable {
    /// One folded word, matched exactly.
    case word(String)
    /// A folded word prefix: `jihad*` matches jihad, jihadist, jihadiste…
    case prefix(String)
    /// Consecutive words (each a `.word` or `.prefix`): `Niger Delta`, `coup d'état`.
    case phrase([TermExpression])
    /// A named term set, `@sahel_places`, before the watchlist resolves it.
    case set(String)
    /// Any of the alternatives: `a OR b`, and what a resolved `@set` becomes.
    case any([TermExpression])
    /// Both sides within `distance` words of each other in the same field: `mali NEAR/10 attack*`.
    case near(TermExpression, TermExpression, distance: Int)
    /// Occurrences of the left side that do not overlap an occurrence of the right side:
    /// `Niger EXCEPT (Niger State OR Niger Delta)`.
    case except(TermExpression, TermExpression)
    /// A term restricted to stories in some languages; what per-language set lists become.
    case language(TermExpression, languages: [String])
}

/// A term as the user wrote it, with where they wrote it.
public struct Term: Sendable, Equatable {
    /// The text as written in the watchlist: what `matched` and `--explain` show.
    public var text: String
    public var expression: TermExpression
    public var location: SourceLocation

    /// What `matched` lists: the term without its negative context, so an alert reads
    /// `Niger` rather than `Niger EXCEPT (Niger State OR Niger Delta)`. `--explain` keeps `text`.
    public var label: String

    public init(text: String, expression: TermExpression, location: SourceLocation) {
        self.text = text
        self.expression = expression
        self.location = location
        self.label = Term.positivePart(of: text)
    }

    /// The text before a top-level ` EXCEPT `, or all of it.
    static func positivePart(of text: String) -> String {
        var depth = 0
        var index = text.startIndex
        while index < text.endIndex {
            switch text[index] {
            case "(": depth += 1
            case ")": depth -= 1
            case " " where depth == 0 && text[index...].hasPrefix(" EXCEPT "):
                return String(text[..<index])
            default: break
            }
            index = text.index(after: index)
        }
        return text
    }
}

/// A term and what it adds to a topic's score each time it matches (once per term per story,
/// at the best field it occurs in). Negative weights are negative context.
public struct WeightedTerm: Sendable, Equatable {
    public var term: Term
    public var weight: Double
    /// The set this term came from when the topic lists a lone `@set` (each member scores).
    public var via: String?
    /// The topic entry the term came from: members of one lone `@set` share it, and within an
    /// entry overlapping members count once (`Burkina Faso` and `Burkina` are one mention).
    public var entry: Int

    public init(term: Term, weight: Double, via: String? = nil, entry: Int = 0) {
        self.term = term
        self.weight = weight
        self.via = via
        self.entry = entry
    }
}

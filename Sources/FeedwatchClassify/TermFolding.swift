import FeedwatchText

/// Folds watchlist words exactly as story text is tokenized, so both sides meet on the same form.
enum TermFolding {
    static let fold: ExpressionParser.Fold = { text in Tokenizer.tokens(text).map(\.text) }
}

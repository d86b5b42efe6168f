/// Folds watchlist words exactly as story text is folded and split, so both sides meet on the
/// same words.
enum TermFolding {
    static let folder = MatchFolder()

    static let fold: ExpressionParser.Fold = { text in
        var bytes: [UInt8] = []
        folder.fold(text, into: &bytes)
        var collector = WordCollector()
        WordSplitter.split(bytes, into: &collector)
        return collector.words
    }
}

extension Tokenizer {
    /// Calls `body` with each word `tokens(text)` would return, as bytes valid only during the
    /// call: for callers that hash words and need no strings (dedup's shingles).
    public static func forEachWord(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        withoutActuallyEscaping(body) { body in
            var sink = WordCallback(body: body)
            scan(folded: TextNormalizer.fold(text), into: &sink)
        }
    }
}

private struct WordCallback: WordBytesSink {
    let body: (UnsafeBufferPointer<UInt8>) -> Void

    mutating func word(_ bytes: UnsafeBufferPointer<UInt8>) { body(bytes) }
}

/// One word of a text, folded by `TextNormalizer.fold`, with its index among the text's words.
public struct Token: Sendable, Equatable, Hashable {
    /// The folded word (`armée` → `armee`, `l'armée` → `armee`).
    public let text: String
    /// The word index in the text (0-based), for phrase and proximity matching.
    public let position: Int

    public init(text: String, position: Int) {
        self.text = text
        self.position = position
    }
}

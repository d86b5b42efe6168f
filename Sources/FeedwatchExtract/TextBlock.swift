/// One run of text a reader sees as a unit: a paragraph, a heading, a list item, or the loose
/// text of a container between its child blocks.
struct TextBlock {
    /// Whitespace collapsed; `<br>` breaks kept as newlines.
    var text: String
    /// The element whose own text this is (index into `PageLayout.elements`).
    var owner: Int
    /// Reading length: characters, with ideographs weighted as words (see `PageWalker`).
    var length: Int
    /// The part of `length` inside links.
    var linkLength: Int
    /// Characters of the link the block opens with (0 when it opens with plain text).
    var leadingLinkLength: Int
    var kind: Kind
    /// Sentence punctuation the text holds (`.` `,` `;` `?` `!` and their CJK forms).
    var punctuation: Int

    enum Kind { case text, heading, listItem }

    var linkDensity: Double { length == 0 ? 0 : Double(linkLength) / Double(length) }
}

/// One element of the page that can own text blocks.
struct PageElement {
    /// -1 for the root.
    var parent: Int
    var tag: String
    /// What the element's own markup says (not its ancestors').
    var verdict: MarkupHints.Verdict
    var hidden: Bool
    /// The blocks of this element and its descendants: `firstBlock..<endBlock` (document order).
    var firstBlock: Int
    var endBlock: Int
}

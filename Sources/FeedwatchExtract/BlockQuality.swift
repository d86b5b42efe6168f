/// A block judged alone, before its place on the page is considered (jusText's first pass,
/// with markup as evidence too).
enum BlockQuality {
    /// Article-like prose: long, punctuated, few links.
    case good
    /// Short or ambiguous: a subheading, a one-line paragraph, a label.
    case neutral
    /// Chrome: inside navigation/share/comment markup, hidden, or mostly links.
    case bad

    static func judge(_ block: TextBlock, chrome: Bool) -> BlockQuality {
        if chrome { return .bad }
        let density = block.linkDensity
        // A long, punctuated paragraph that links a lot is still prose (a lede linking to
        // sources); link lists are short items or unpunctuated.
        if density > 0.5 && !(block.length >= 200 && block.punctuation >= 3 && density < 0.9) { return .bad }
        if density > 0.3 { return .neutral }
        // A headline link followed by its teaser, the link a fair share of it: a card of another
        // story (a list item that merely opens with a linked name is prose).
        if density >= 0.15, block.leadingLinkLength >= 40 || (block.kind == .listItem && block.leadingLinkLength >= 25) {
            return .neutral
        }
        if block.length >= 200 { return .good }
        if block.length >= 70 && block.punctuation > 0 && block.kind != .heading { return .good }
        return .neutral
    }
}

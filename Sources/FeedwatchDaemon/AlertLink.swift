/// The link an alert carries is clicked in a terminal, a chat or a mail client: only a plain
/// `http`/`https` URL may reach one. A feed may hand us `javascript:`, `data:`, `vbscript:` or
/// `file:` links (parse keeps them, flagged); the alert falls back to the feed's home page or
/// the source's URL instead, and says so in `link_note`.
enum AlertLink {
    /// `link` when it is an absolute http(s) URL with no whitespace or control characters in it.
    static func safe(_ link: String?) -> String? {
        guard let link else { return nil }
        var scheme = 0
        for (i, b) in link.utf8.enumerated() {
            if b <= 0x20 || b == 0x7F { return nil }
            if scheme == 0, b == UInt8(ascii: ":") { scheme = i }
        }
        guard scheme == 4 || scheme == 5 else { return nil }
        let lowered = link.utf8.prefix(scheme + 3).map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        return lowered.elementsEqual("http://".utf8) || lowered.elementsEqual("https://".utf8) ? link : nil
    }

    /// The story's link when safe; else the feed's, else the source's, with a note saying why.
    static func choose(story: String?, feed: String?, source: String?) -> (link: String?, note: String?) {
        guard let story, !story.isEmpty else { return (nil, nil) }
        if let ok = safe(story) { return (ok, nil) }
        let scheme = story.prefix { $0 != ":" }.prefix(16).lowercased()
        let what = scheme.count < story.count && !scheme.isEmpty ? "a \(scheme): link" : "a link that is not http(s)"
        if let feed = safe(feed) { return (feed, "the story's link was \(what); the feed's link instead") }
        if let source = safe(source) { return (source, "the story's link was \(what); the source's link instead") }
        return (nil, "the story's link was \(what); dropped")
    }
}

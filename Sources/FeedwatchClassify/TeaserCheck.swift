import FeedwatchModel
import FeedwatchText
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Whether a story's feed text is only a teaser of an article some topic could match: the rule
/// by which the daemon reads the page behind the link (`full_text: auto`), and what
/// `feedwatch classify --explain` reports as `"text"`.
///
/// A teaser is short (fewer than `teaserWords` words in the longer of summary and content) or
/// cut off (it ends with "…", "[…]", "Read more", "Continue reading", "Lire la suite": the marks
/// `Boilerplate` strips). It is worth the page only when some topic could still match with more
/// text (`Classifier.mayMatchWithMoreText`): a teaser that names no watched place, subject or
/// term is never fetched.
public struct TeaserCheck: Sendable, Equatable {
    /// Words of the feed text, counted up to `teaserWords`.
    public var words: Int
    public var short: Bool
    public var truncated: Bool
    /// Nil when not asked (the text is not a teaser).
    public var mayMatch: Bool?
    /// `full_text: always`: the page is wanted whatever the feed text.
    public var always = false

    /// Teaser of a story some topic could match (any such story, `always`): read the page.
    public var wantsPage: Bool { (always || short || truncated) && mayMatch == true }

    /// `{"source":"feed","words":n,"short":b,"truncated":b,"may_match_with_more_text":b|null,"page_wanted":b}`:
    /// `classify` reads the text it is given (`source` is always `feed`); the rest says whether
    /// the daemon would read the page behind the link instead.
    public var json: String {
        "{\"source\":\"feed\",\"words\":\(words),\"short\":\(short),\"truncated\":\(truncated),"
            + "\"may_match_with_more_text\":\(mayMatch.map { "\($0)" } ?? "null"),\"page_wanted\":\(wantsPage)}"
    }

    /// One line for `classify --format text`.
    public var summary: String {
        var s = "text: feed (\(words)\(short ? "" : "+") words"
        if short { s += ", short" }
        if truncated { s += ", cut off" }
        s += ")"
        if wantsPage { s += "; with full_text auto the daemon reads the article page and classifies that" }
        return s
    }

    /// The check, cheapest part first: most feed text is long and ends cleanly, and then
    /// neither the tail's plain text nor the topics' anchors are looked at.
    /// - Parameter always: `full_text: always`: any story some topic could match wants its page.
    public static func check(_ story: Story, teaserWords: Int, always: Bool = false,
                             classifier: Classifier) -> TeaserCheck {
        let summary = story.summary ?? "", content = story.content ?? ""
        let text = content.utf8.count >= summary.utf8.count ? content : summary
        let words = countWords(text, upTo: teaserWords)
        var check = TeaserCheck(words: words, short: words < teaserWords, truncated: false, mayMatch: nil, always: always)
        // An excerpt is at most a couple of teasers long: a longer text is the article, even when
        // it ends with a "Read more" (a link to another story, in many feeds). Counted that far
        // only when the end looks cut: most text is long and ends with a full stop.
        if !check.short, mayEndWithMark(text), countWords(text, upTo: 2 * teaserWords) < 2 * teaserWords {
            check.truncated = looksTruncated(text, link: story.link)
        }
        if always || check.short || check.truncated { check.mayMatch = classifier.mayMatchWithMoreText(story) }
        return check
    }

    /// Words outside tags, stopping at `limit`.
    public static func countWords(_ html: String, upTo limit: Int) -> Int {
        var html = html
        // On the contiguous bytes: every new entry passes here, and the UTF-8 view's iterator
        // cost three times as much.
        return html.withUTF8 { countWords($0, upTo: limit) }
    }

    static func countWords(_ bytes: UnsafeBufferPointer<UInt8>, upTo limit: Int) -> Int {
        var count = 0, i = 0
        let n = bytes.count
        guard let base = bytes.baseAddress else { return 0 }
        // Word, gap and tag are runs: each is crossed by its own tight loop (a memchr for a tag's
        // end) rather than one branchy loop per byte; every entry of every feed passes here.
        while i < n {
            let b = base[i]
            if b == 0x3C {
                guard let end = memchr(base + i + 1, 0x3E, n - i - 1) else { return count }
                i = UnsafePointer<UInt8>(end.assumingMemoryBound(to: UInt8.self)) - base + 1
                continue
            }
            if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D {
                i += 1
                continue
            }
            count += 1
            if count >= limit { return count }
            i += 1
            while i < n {
                let c = base[i]
                if c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D || c == 0x3C { break }
                i += 1
            }
        }
        return count
    }

    private static let markPieces: [[UInt8]] = ["\u{2026}", "..", "more", "reading", "suite", "8230", "hellip"]
        .map { Array($0.utf8) }
    /// The pieces' first bytes (as `| 0x20` leaves them): most tail bytes start none.
    private static let markStarts: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for piece in markPieces { table[Int(piece[0] | 0x20)] = true }
        return table
    }()

    /// Whether the raw text's last bytes hold a piece of a truncation mark (ASCII
    /// case-insensitive): every entry of every feed passes here, and a scan of its end settles
    /// most without decoding anything.
    static func mayEndWithMark(_ html: String) -> Bool {
        var html = html
        return html.withUTF8 { bytes in
            let from = max(0, bytes.count - 96)
            var i = from
            let starts = markStarts
            while i < bytes.count {
                guard starts[Int(bytes[i] | 0x20)] else { i += 1; continue }
                for piece in markPieces where bytes.count - i >= piece.count && (bytes[i] | 0x20) == piece[0] {
                    var k = 1
                    while k < piece.count, (bytes[i + k] >= 0x41 && bytes[i + k] <= 0x5A ? bytes[i + k] | 0x20 : bytes[i + k]) == piece[k] {
                        k += 1
                    }
                    if k == piece.count { return true }
                }
                i += 1
            }
            return false
        }
    }

    /// The end of the text, as plain text, ends with a mark that it goes on elsewhere: at the
    /// entry's own link when the mark is a link ("Read more" pointing at a related story is not one).
    static func looksTruncated(_ html: String, link: String?) -> Bool {
        // The last few hundred bytes suffice; a cut mid-tag only loses text before the tail.
        var tail = Substring(html).utf8.suffix(400)
        if let open = tail.firstIndex(of: 0x3E), tail[..<open].allSatisfy({ $0 != 0x3C }) {
            tail = tail[tail.index(after: open)...]
        }
        let tailText = String(decoding: tail, as: UTF8.self)
        guard Boilerplate.looksTruncated(HTMLText.plainText(tailText)) else { return false }
        guard let href = lastLinkTarget(tailText) else { return true }
        return link.map { LinkCanonicalizer.canonical($0) == LinkCanonicalizer.canonical(href) } ?? false
    }

    /// The `href` of the link the text ends in, if it ends in one (closing tags and spaces aside).
    static func lastLinkTarget(_ html: String) -> String? {
        var end = html[...]
        while true {
            while let last = end.last, last.isWhitespace { end = end.dropLast() }
            guard end.hasSuffix(">"), let open = end.lastIndex(of: "<") else { return nil }
            let tag = end[open...].lowercased()
            if tag.hasPrefix("</a") {
                guard let start = end.range(of: "<a ", options: [.backwards, .caseInsensitive])?.lowerBound else { return nil }
                let anchor = end[start...]
                guard let h = anchor.range(of: "href=\"")?.upperBound, let q = anchor[h...].firstIndex(of: "\"") else { return nil }
                return String(anchor[h..<q])
            }
            guard tag.hasPrefix("</") else { return nil }   // a closing tag of a paragraph or a span: look before it
            end = end[..<open]
        }
    }
}

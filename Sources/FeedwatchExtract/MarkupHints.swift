/// What an element's markup alone says about its text: its tag's role in the layout, and the
/// words its `class`, `id` and `role` use. Only generic web vocabulary — nothing keyed to a site.
enum MarkupHints {
    /// How the walker treats an element.
    enum Role { case skipped, block, heading, listItem, lineBreak, link, inline }

    static func role(_ tag: String) -> Role {
        roles[tag] ?? .inline
    }

    private static let roles: [String: Role] = {
        var roles: [String: Role] = [:]
        for t in ["script", "style", "noscript", "template", "svg", "iframe", "button", "select", "textarea",
                  "input", "object", "embed", "canvas", "video", "audio", "head", "map", "math", "dialog",
                  "option", "label", "img", "picture", "source", "link", "meta"] { roles[t] = .skipped }
        for t in ["p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "blockquote",
                  "ul", "ol", "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption",
                  "pre", "figure", "figcaption", "address", "hr", "form", "fieldset", "details", "summary",
                  "center", "body", "html", "menu", "hgroup", "legend"] { roles[t] = .block }
        for t in ["h1", "h2", "h3", "h4", "h5", "h6"] { roles[t] = .heading }
        roles["li"] = .listItem
        roles["br"] = .lineBreak
        roles["a"] = .link
        return roles
    }()

    /// Elements that hold page chrome whatever their classes say.
    static let chromeTags: Set<String> = ["nav", "aside", "footer", "figcaption", "menu", "form", "address"]

    /// Class/id fragments that name page chrome wherever they appear (`social-share-bar`,
    /// `article-comments`).
    static let strongFragments: [String] = [
        "comment", "share", "sharing", "social", "related", "newsletter", "subscri", "cookie", "consent", "gdpr",
        "promo", "advert", "sponsor", "breadcrumb", "popup", "modal", "byline", "recommend", "more-stories",
        "morestories", "read-more", "readmore", "most-popular", "mostpopular", "trending", "outbrain", "taboola",
        "disqus", "caption", "credit", "signup", "sign-up", "skip-link", "skiplink", "jump-to", "author-bio",
        "authorbio", "about-author", "tag-list", "taglist", "post-tags", "article-tags", "rating", "login",
        "dateline", "timestamp", "recirc", "also-read", "see-also", "screen-reader", "visually-hidden",
        "sr-only", "offscreen", "ad-slot", "adslot", "ad-container", "adcontainer", "ad-wrap", "ad-unit", "dfp-",
        "donate", "article-meta", "post-meta", "entry-meta", "article-title", "post-title", "entry-title",
        "lightbox",
    ]
    /// Fragments of layout chrome that a body word on the same element overrides
    /// (`content-with-sidebar`, `main-header-wrapper`).
    static let weakFragments: [String] = [
        "sidebar", "footer", "masthead", "navbar", "navigation", "menu", "pagination", "pager", "toolbar", "widget",
        "banner", "header", "follow", "subnav", "overlay", "alert", "notification", "metadata", "headline",
        "gallery", "keywords", "topics",
    ]
    /// Short chrome words matched only as whole words (`ad`, not "head" or "loading").
    static let chromeWords: Set<String> = [
        "ad", "ads", "nav", "tags", "meta", "aside", "hide", "author", "date", "time", "title", "links", "tools",
        "infobox", "embed",
    ]
    /// Words that make layout chrome words moot: the element is (part of) the content column.
    static let contentWords: [String] = ["content", "article", "main", "body", "post", "entry", "story", "hentry", "text", "column"]
    /// Class/id words of an article body; they cancel chrome words on the same element
    /// (`article-body-with-sidebar` is the body).
    static let bodyFragments: [String] = [
        "article-body", "articlebody", "article_body", "story-body", "storybody", "story_body", "entry-content",
        "entry_content", "post-content", "postcontent", "post_content", "article-content", "articlecontent",
        "article_content", "article-text", "articletext", "post-body", "postbody", "post_body", "story-content",
        "storycontent", "body-text", "bodytext", "article__body", "article__content", "rich-text", "richtext",
        "main-content", "maincontent", "content-body", "entry-body", "text-body", "story-text", "paywall-content",
    ]

    /// What the element's class, id and role say: chrome, body, or nothing.
    enum Verdict { case none, chrome, body }

    static func verdict(classes: String?, id: String?, role: String?, itemprop: String?) -> Verdict {
        if let itemprop, itemprop.lowercased().contains("articlebody") { return .body }
        if let role {
            switch role.lowercased() {
            case "navigation", "banner", "contentinfo", "complementary", "menu", "menubar", "dialog", "alert",
                 "search", "toolbar", "tablist":
                return .chrome
            default: break
            }
        }
        // Bytes, not String.contains: Foundation's search made this the extractor's hottest spot.
        var words: [UInt8] = []
        if let classes { words.append(contentsOf: classes.utf8) }
        if let id { words.append(0x20); words.append(contentsOf: id.utf8) }
        if words.isEmpty { return .none }
        for k in words.indices where words[k] >= 0x41 && words[k] <= 0x5A { words[k] += 0x20 }
        if bodyBytes.contains(where: { contains(words, $0) }) { return .body }
        if strongBytes.contains(where: { contains(words, $0) }) { return .chrome }
        if contentBytes.contains(where: { contains(words, $0) }) { return .none }
        if weakBytes.contains(where: { contains(words, $0) }) { return .chrome }
        var start = 0
        for k in 0...words.count {
            let isLetter = k < words.count && ((words[k] >= 0x61 && words[k] <= 0x7A) || words[k] >= 0x80)
            if isLetter { continue }
            if k - start >= 2, k - start <= 8, chromeWords.contains(String(decoding: words[start..<k], as: UTF8.self)) {
                return .chrome
            }
            start = k + 1
        }
        return .none
    }

    private static let bodyBytes = bodyFragments.map { Array($0.utf8) }
    private static let strongBytes = strongFragments.map { Array($0.utf8) }
    private static let weakBytes = weakFragments.map { Array($0.utf8) }
    private static let contentBytes = contentWords.map { Array($0.utf8) }

    /// Whether `needle` occurs in `hay`.
    static func contains(_ hay: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, hay.count >= needle.count else { return false }
        let last = hay.count - needle.count
        var i = 0
        while i <= last {
            if hay[i] == first {
                var k = 1
                while k < needle.count && hay[i + k] == needle[k] { k += 1 }
                if k == needle.count { return true }
            }
            i += 1
        }
        return false
    }

    /// `style="display:none"`, `hidden`, `aria-hidden="true"`: text a reader never sees.
    static func isHidden(style: String?, hidden: Bool, ariaHidden: String?) -> Bool {
        if hidden { return true }
        if let ariaHidden, ariaHidden.lowercased() == "true" { return true }
        guard let style else { return false }
        let compact = style.lowercased().filter { $0 != " " }
        return compact.contains("display:none") || compact.contains("visibility:hidden")
    }
}

import FeedwatchText

/// Picks the article's blocks out of a walked page.
///
/// 1. Each block is judged alone (`BlockQuality`); markup decides chrome by the nearest element
///    that has an opinion, so a share bar inside the body is chrome and a body inside a
///    "with-sidebar" wrapper is not; a "Related" heading makes the rest of its section chrome.
/// 2. The core is where prose paragraphs sit side by side (Readability's insight: a paragraph
///    counts for its container, half for the next one up).
/// 3. The container grows from the core while a wider element has a larger net worth — good
///    text for, chrome and links against, short text slightly against — looking a few levels
///    up past wrappers. Every element's worth is one subtraction of prefix sums, because an
///    element's blocks are contiguous in document order. This gathers a body split by ad slots
///    (where Readability keeps one part) and stops before a page of teasers (where a plain
///    "largest net worth" takes the whole page).
/// 4. Inside it, chrome blocks are dropped; short blocks outside the span of prose are dropped
///    (jusText's context rule); lines the story-text rules (`Boilerplate`) call chrome are dropped.
struct ContentSelector {
    let elements: [PageElement]
    let blocks: [TextBlock]
    let title: String?

    func select() -> [TextBlock] {
        guard !blocks.isEmpty else { return [] }
        let chrome = chromeBlocks()
        var quality = blocks.indices.map { BlockQuality.judge(blocks[$0], chrome: chrome[$0]) }
        demoteTeasers(&quality)
        let container = bestContainer(quality, chrome: chrome)
        guard quality.contains(.good) else { return [] }
        let range = elements[container].firstBlock..<elements[container].endBlock
        return keep(range, quality: quality, chrome: chrome)
    }

    /// A short paragraph right under a linked headline in the same card is another story's
    /// teaser, however well it reads: a wall of such cards must not outweigh the article.
    func demoteTeasers(_ quality: inout [BlockQuality]) {
        for i in blocks.indices.dropFirst() where quality[i] == .good && blocks[i].length < 300 {
            let headline = blocks[i - 1]
            guard headline.linkDensity > 0.8, headline.length < 200 else { continue }
            let owner = blocks[i].owner
            let sameCard = elements[headline.owner].parent == elements[owner].parent || headline.owner == elements[owner].parent
            if sameCard { quality[i] = .neutral }
        }
    }

    /// Whether each block sits in chrome, by the nearest ancestor whose markup says anything.
    func chromeBlocks() -> [Bool] {
        let total = blocks.reduce(0) { $0 + $1.length }
        var prefix = [0]
        prefix.reserveCapacity(blocks.count + 1)
        for b in blocks { prefix.append(prefix.last! + b.length) }
        // An element holding a body-marked element, or most of the page, is not chrome whatever
        // its class says (`<body class="has-sidebar">`).
        var holdsBody = [Bool](repeating: false, count: elements.count)
        for e in elements where e.verdict == .body {
            var p = e.parent
            while p >= 0, !holdsBody[p] { holdsBody[p] = true; p = elements[p].parent }
        }
        var verdict = [Int8](repeating: 0, count: elements.count)    // -1 body, 0 none, 1 chrome
        for (i, e) in elements.enumerated() {
            if e.hidden { verdict[i] = 1; continue }
            let structural = e.tag == "html" || e.tag == "body" || e.tag == "main"
            let share = Double(prefix[e.endBlock] - prefix[e.firstBlock]) / Double(max(1, total))
            if e.verdict == .body { verdict[i] = -1 }
            else if structural || holdsBody[i] || share > 0.6 { verdict[i] = 0 }
            else if e.verdict == .chrome || MarkupHints.chromeTags.contains(e.tag) { verdict[i] = 1 }
        }
        // Resolved top-down: elements come in document order, parents before children.
        // A "Related" / "You may also like" heading makes the rest of its parent a link list.
        var afterRelatedHeading = [Bool](repeating: false, count: elements.count)
        for (i, e) in elements.enumerated() {
            if e.parent >= 0, afterRelatedHeading[e.parent] { verdict[i] = 1 }
            if e.tag.count == 2, e.tag.first == "h", e.parent >= 0, e.endBlock - e.firstBlock == 1,
               Boilerplate.isRelatedHeading(line: blocks[e.firstBlock].text) {
                verdict[i] = 1
                afterRelatedHeading[e.parent] = true
            }
        }
        // Hidden is final: a body marked inside a hidden copy (microdata duplicates) stays hidden.
        var chromeElement = [Bool](repeating: false, count: elements.count)
        var hidden = [Bool](repeating: false, count: elements.count)
        for (i, e) in elements.enumerated() {
            hidden[i] = e.hidden || (e.parent >= 0 && hidden[e.parent])
            switch verdict[i] {
            case 1: chromeElement[i] = true
            case -1: chromeElement[i] = hidden[i]
            default: chromeElement[i] = hidden[i] || (e.parent >= 0 ? chromeElement[e.parent] : false)
            }
        }
        return blocks.map { chromeElement[$0.owner] }
    }

    /// The element with the most net article text.
    func bestContainer(_ quality: [BlockQuality], chrome: [Bool]) -> Int {
        var prefix = [0.0]
        prefix.reserveCapacity(blocks.count + 1)
        for (i, b) in blocks.enumerated() {
            let worth: Double
            switch quality[i] {
            case .good: worth = Double(b.length)
            case .neutral: worth = -Self.neutralWeight * Double(b.length)
            case .bad: worth = chrome[i] ? -Self.chromeWeight * Double(b.length) : -Self.linkWeight * Double(b.linkLength)
            }
            prefix.append(prefix.last! + worth)
        }
        func worth(_ i: Int) -> Double { prefix[elements[i].endBlock] - prefix[elements[i].firstBlock] }
        // The core: where prose paragraphs sit side by side (each good block counts fully for the
        // element holding it, half for the next one up, a quarter above that).
        var local = [Double](repeating: 0, count: elements.count)
        for (i, b) in blocks.enumerated() where quality[i] == .good {
            var e = Self.paragraphTags.contains(elements[b.owner].tag) ? elements[b.owner].parent : b.owner
            var share = Double(b.length)
            for _ in 0..<3 where e >= 0 {
                local[e] += share
                share /= 2
                e = elements[e].parent
            }
        }
        var core = 0
        for i in elements.indices where local[i] > local[core] { core = i }
        // Then wider while that adds more article than chrome: a body split over sibling
        // containers is gathered, a page of teasers around it is not.
        var container = core
        climbing: while true {
            var up = elements[container].parent
            for _ in 0..<Self.lookAhead where up >= 0 {
                if worth(up) > worth(container) { container = up; continue climbing }
                up = elements[up].parent
            }
            return container
        }
    }

    /// What short text costs a container, per character: little, since subheadings and one-line
    /// paragraphs belong to articles too, but not nothing, or menus of unlinked labels would be free.
    static let neutralWeight = 0.3
    /// Chrome by markup costs its full length.
    static let chromeWeight = 1.0
    /// Link-dense text costs its linked part at half weight: inline "related" boxes inside a
    /// body should not split it, a page of link lists should still lose.
    static let linkWeight = 0.5
    /// How many levels up a wider container may be found past wrappers that add only chrome
    /// (bodies split by ad slots sit two or three wrappers apart; measured: 5 beat 2–4 and 8).
    static let lookAhead = 5

    static let paragraphTags: Set<String> = ["p", "li", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6",
                                              "td", "th", "dd", "dt", "figure", "address", "summary"]

    /// The container's blocks a reader would call the article.
    func keep(_ range: Range<Int>, quality: [BlockQuality], chrome: [Bool]) -> [TextBlock] {
        guard let firstGood = range.first(where: { quality[$0] == .good }),
              let lastGood = range.last(where: { quality[$0] == .good }) else { return [] }
        let normalizedTitle = title.map(Self.normalized)
        var out: [TextBlock] = []
        for i in range {
            let b = blocks[i]
            let proseLike = b.length >= 100 && b.punctuation >= 2 && b.linkDensity < (b.length >= 200 ? 0.9 : 0.7) && !chrome[i]
            // The rules only remove short lines ("Comment count on this article reflects …").
            if b.length < 400, quality[i] != .bad || proseLike, Boilerplate.strip(b.text).isEmpty { continue }
            switch quality[i] {
            case .bad where !proseLike: continue
            case .good, .bad: out.append(b)
            case .neutral where proseLike: out.append(b)
            case .neutral:
                // A subheading just before the prose starts is kept; other short text outside
                // the prose span is chrome (bylines, datelines, "Share", tag lists).
                let headingIntoProse = b.kind == .heading && i < firstGood && i + 1 == firstGood
                guard (i > firstGood && i < lastGood) || headingIntoProse else { continue }
                if let normalizedTitle, Self.normalized(b.text) == normalizedTitle { continue }
                out.append(b)
            }
        }
        return out
    }

    static func normalized(_ s: String) -> String {
        String(s.lowercased().unicodeScalars.filter { $0.properties.isAlphabetic || $0.properties.numericType != nil }
            .map(Character.init))
    }
}

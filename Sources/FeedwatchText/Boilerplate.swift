/// Removes the chrome that feeds and sites wrap around an article, so copies of one dispatch
/// hash alike. All rules live here.
///
/// Works on plain text (see `HTMLText.plainText`), one line at a time, on the folded line:
/// - whole lines: navigation ("Skip to content"), share/comment/subscribe/follow prompts, "Read more",
///   bylines and dates, tags, advertising labels, credit lines ("(AFP)", "© 2026 …", "Photo: …"),
///   comment counts;
/// - a related-links heading ("Related", "À lire aussi") and the short lines listed under it;
/// - inside a line: "The post … appeared first on …" (and the French "Cet article … est apparu en
///   premier sur …"), trailing "[…]" / "Read more" / "Continue reading", parenthesised agency credits.
public enum Boilerplate {
    /// Line openings that mark chrome, with the longest line (in words) the rule may remove:
    /// long lines are article text even when they start like chrome ("By nightfall, …").
    static let linePrefixes: [(prefix: String, maxWords: Int)] = [
        ("skip to", 6), ("aller au contenu", 6), ("passer au contenu", 6), ("share this", 8), ("share on", 8),
        ("share:", 8), ("partager", 8), ("partagez", 8), ("email this", 6), ("print this", 6), ("subscribe", 14),
        ("abonnez-vous", 14), ("s'abonner", 10), ("sign up", 14), ("inscrivez-vous", 14), ("follow us", 10),
        ("suivez-nous", 10), ("read more", 12), ("read also", 16), ("read next", 16), ("lire la suite", 12),
        ("lire aussi", 16), ("a lire aussi", 16), ("voir aussi", 16), ("see also", 16), ("continue reading", 12),
        ("click here", 14), ("cliquez ici", 14), ("leave a comment", 8), ("laisser un commentaire", 8),
        ("laissez un commentaire", 8), ("no comments", 6), ("comments", 6), ("commentaires", 6),
        ("advertisement", 4), ("publicite", 4), ("sponsored", 6), ("tags:", 30), ("tags :", 30),
        ("mots-cles", 30), ("filed under", 30), ("posted in", 20), ("posted on", 12), ("published", 10),
        ("updated", 8), ("publie le", 12), ("mis a jour", 12), ("last updated", 10), ("photo:", 25),
        ("photo :", 25), ("photos:", 25), ("photo credit", 20), ("credit photo", 20), ("credit:", 20),
        ("credit :", 20), ("image:", 25), ("image :", 25), ("illustration:", 25), ("file photo", 20),
        ("(photo", 25), ("copyright", 20), ("©", 20), ("(c) ", 20), ("all rights reserved", 10),
        ("tous droits reserves", 10), ("source:", 8), ("source :", 8), ("with afp", 4), ("avec afp", 4),
        ("(afp)", 3), ("(reuters)", 3), ("this article was originally published", 25),
        ("trending:", 30), ("trending :", 30), ("trending now", 30), ("most read:", 30), ("most read :", 30),
        ("top stories:", 30), ("les plus lus:", 30), ("les plus lus :", 30),
        ("originally published", 20), ("comment count on this article", 40), ("this slideshow requires javascript", 6), ("cet article a ete publie", 25), ("newsletter", 8),
    ]
    /// Navigation and label lines that are chrome only when they are the whole line.
    static let wholeLines: Set<String> = [
        "menu", "search", "home", "accueil", "log in", "login", "sign in", "connexion", "close", "fermer",
        "afp", "reuters", "ap", "trending", "most read", "top stories", "latest news", "a la une", "video",
        "advertisement", "advert", "publicite", "ad", "comments", "commentaires", "print", "imprimer", "next", "previous",
        "suivant", "precedent", "back to top", "retour en haut", "breaking", "live", "rechercher",
        "like this", "loading", "like loading", "j'aime", "chargement", "related", "share",
    ]
    /// Headings after which the following short lines are a link list.
    static let relatedHeadings: [String] = [
        "related", "related articles", "related stories", "related posts", "related news", "related coverage",
        "you may also like", "recommended", "more from", "more on this story", "read also", "read more",
        "see also", "a lire aussi", "lire aussi", "voir aussi", "sur le meme sujet", "articles similaires",
        "dans la meme rubrique", "les plus lus", "most read", "you might also like", "more stories", "read next",
        "voce pode gostar", "veja tambem", "leia tambem", "lea tambien", "te puede interesar", "das konnte sie auch interessieren",
        "leggi anche", "potrebbe interessarti", "trending", "trending now", "top stories",
        "most popular", "most viewed", "latest news", "a la une", "les plus consultes", "en ce moment",
    ]
    /// Words of share bars: a short line made only of these is chrome.
    static let shareWords: Set<String> = [
        "share", "partager", "facebook", "twitter", "x", "linkedin", "whatsapp", "telegram", "email", "e", "mail",
        "print", "imprimer", "reddit", "pinterest", "copy", "link", "lien", "copier", "messenger", "sms", "tweet",
        "on", "sur", "this", "article", "cet", "via", "le",
    ]

    /// Returns `text` without boilerplate; paragraph breaks (blank lines) are kept, at most one
    /// in a row, and lines are trimmed.
    public static func strip(_ text: String) -> String {
        var text = text
        return text.withUTF8 { String(decoding: strip(bytes: $0), as: UTF8.self) }
    }

    /// `strip` of valid UTF-8, for callers that hold bytes (the classifier's folded text): no
    /// String in or out.
    public static func strip(utf8 text: [UInt8]) -> [UInt8] {
        text.withUnsafeBufferPointer(strip(bytes:))
    }

    private static func strip(bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        // Lines are read in place and written straight to the result: most are article text,
        // long enough to be kept without a copy, a fold or a tokenization.
        var stripper = Stripper(capacity: bytes.count)
        let n = bytes.count
        var lineStart = 0
        while lineStart <= n {                              // as split(omittingEmptySubsequences: false)
            var lineEnd = lineStart
            while lineEnd < n && bytes[lineEnd] != 0x0A { lineEnd += 1 }
            stripper.consider(UnsafeBufferPointer(rebasing: bytes[lineStart..<lineEnd]))
            lineStart = lineEnd + 1
        }
        return stripper.out
    }

    /// The line rules, applied line after line; kept lines are joined into `out` as they come.
    private struct Stripper {
        var out: [UInt8] = []
        var pendingBlank = false
        var inRelatedList = false
        var scratch: [UInt8] = []

        init(capacity: Int) { out.reserveCapacity(capacity) }

        mutating func consider(_ rawLine: UnsafeBufferPointer<UInt8>) {
            let end = Boilerplate.inlineEnd(rawLine)
            let line = UnsafeBufferPointer(rebasing: rawLine[0..<end])
            guard Boilerplate.hasAgencyCredit(line) else { return rule(line) }
            // Removing a credit from inside the line: the one case that needs a copy.
            scratch.removeAll(keepingCapacity: true)
            scratch.append(contentsOf: line)
            Boilerplate.removeAgencyCredits(&scratch)
            let copy = scratch
            copy.withUnsafeBufferPointer { rule($0) }
        }

        private mutating func rule(_ line: UnsafeBufferPointer<UInt8>) {
            if Boilerplate.isLinkBar(line) { return }
            // Chrome lines are short; a long line is article text (its in-line chrome is gone).
            if line.count > 320 || Boilerplate.roughWordCount(line) > 30 {
                inRelatedList = false
                keep(line)
                return
            }
            // Blank (spaces, tabs, CRs only): its fold trims to nothing.
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                if !inRelatedList { keepBlank() }
                return
            }
            let folded = FoldedLine(line)
            if folded.text.isEmpty {
                if !inRelatedList { keepBlank() }
                return
            }
            let words = Tokenizer.tokens(folded: folded.text)
            if inRelatedList {
                if words.count <= 20 && !folded.endsWithPeriod { return }
                inRelatedList = false
            }
            if Boilerplate.isRelatedHeading(folded) { inRelatedList = true; return }
            if Boilerplate.isChromeLine(folded, words: words) { return }
            keep(line)
        }

        /// Appends the line trimmed; runs of blank lines become one, and none at the ends.
        private mutating func keep(_ line: UnsafeBufferPointer<UInt8>) {
            var start = 0, end = line.count
            while start < end && UTF8Search.isSpace(line[start]) { start += 1 }
            while end > start && UTF8Search.isSpace(line[end - 1]) { end -= 1 }
            if start == end { return keepBlank() }
            if !out.isEmpty { out.append(0x0A); if pendingBlank { out.append(0x0A) } }
            pendingBlank = false
            out.append(contentsOf: UnsafeBufferPointer(rebasing: line[start..<end]))
        }

        private mutating func keepBlank() { pendingBlank = !out.isEmpty }
    }

    /// Space-separated runs: an upper bound on the words a line can hold, without decoding it.
    static func roughWordCount(_ line: UnsafeBufferPointer<UInt8>) -> Int {
        var n = 0, inWord = false
        for b in line {
            let space = b == 0x20 || b == 0x09
            if !space && !inWord { n += 1 }
            inWord = !space
        }
        return n
    }

    /// "Home | Africa | Mali", "Trending: Jihadists kill 30 in Mali | Niger closes airspace | …":
    /// three or more short segments between " | " (article text has no such bars).
    static func isLinkBar(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        guard UTF8Search.contains(0x7C, in: line) else { return false }          // no "|": one segment
        var segments = 1, words = 0, inWord = false
        var i = 0
        while i < line.count {
            let b = line[i]
            if b == 0x7C, i > 0, i + 1 < line.count, line[i - 1] == 0x20, line[i + 1] == 0x20 {
                if words > 16 { return false }
                segments += 1
                words = 0
                inWord = false
            } else {
                let space = b == 0x20 || b == 0x09
                if !space && !inWord { words += 1 }
                inWord = !space
            }
            i += 1
        }
        return segments >= 3 && words <= 16
    }

    /// A short line folded for the rules, trimmed of ASCII whitespace. Most are ASCII once folded:
    /// then every byte is a Character, and the rules compare bytes instead of Characters.
    struct FoldedLine {
        let text: String
        let ascii: Bool

        init(_ line: UnsafeBufferPointer<UInt8>) {
            self.init(folded: TextNormalizer.fold(String(decoding: line, as: UTF8.self)))
        }

        init(folded: String) {
            ascii = folded.utf8.allSatisfy { $0 < 0x80 }
            guard ascii else {
                text = folded.trimmingASCIIWhitespace()
                return
            }
            let utf8 = folded.utf8
            let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
            guard let first = utf8.firstIndex(where: { !isSpace($0) }), let last = utf8.lastIndex(where: { !isSpace($0) }) else {
                text = ""
                return
            }
            text = first == utf8.startIndex && last == utf8.index(before: utf8.endIndex)
                ? folded : String(folded[first...last])
        }

        var endsWithPeriod: Bool { ascii ? text.utf8.last == 0x2E : text.hasSuffix(".") }

        func hasPrefix(_ prefix: String, bytes: [UInt8]) -> Bool {
            ascii ? text.utf8.starts(with: bytes) : text.hasPrefix(prefix)
        }
    }

    static func isRelatedHeading(_ folded: FoldedLine) -> Bool {
        guard folded.ascii else { return isRelatedHeading(folded.text) }
        var end = folded.text.utf8.count
        return folded.text.utf8.withContiguousStorageIfAvailable { bytes in
            while end > 0, bytes[end - 1] == 0x3A || bytes[end - 1] == 0x20 || bytes[end - 1] == 0x2E { end -= 1 }
            let heading = UnsafeBufferPointer(rebasing: bytes[0..<end])
            return relatedHeadingBytes[min(end, relatedHeadingBytes.count - 1)].contains { $0.elementsEqual(heading) }
        } ?? isRelatedHeading(folded.text)
    }

    /// Whether `line` (raw text) is a heading that introduces a list of other stories
    /// ("Related", "À lire aussi"): the page extractor drops what follows it.
    public static func isRelatedHeading(line: String) -> Bool {
        line.utf8.count <= 60 && isRelatedHeading(TextNormalizer.fold(line).trimmingASCIIWhitespace())
    }

    static func isRelatedHeading(_ folded: String) -> Bool {
        var heading = Substring(folded)
        while let last = heading.last, last == ":" || last == " " || last == "." { heading.removeLast() }
        return relatedHeadings.contains { heading == $0 }
    }

    /// `relatedHeadings` as bytes, by length (the last entry holds none: longer than all).
    private static let relatedHeadingBytes: [[[UInt8]]] = {
        let longest = relatedHeadings.map(\.utf8.count).max() ?? 0
        var table = [[[UInt8]]](repeating: [], count: longest + 2)
        for heading in relatedHeadings { table[heading.utf8.count].append(Array(heading.utf8)) }
        return table
    }()

    /// What `isChromeLine` trims from the end of a line before looking it up whole.
    private static let bareTrail: [Character] = [":", ".", "!", "?", "-", "|", ">", "»", "›", "→", " "]
    private static let linePrefixBytes: [[UInt8]] = linePrefixes.map { Array($0.prefix.utf8) }

    static func isChromeLine(_ folded: FoldedLine, words: [Token]) -> Bool {
        if words.isEmpty { return true }                                 // punctuation, bullets, arrows
        if folded.ascii {
            if let chrome = folded.text.utf8.withContiguousStorageIfAvailable({ asciiChromeStart($0, words: words.count) }) {
                if chrome { return true }
            } else if startsLikeChrome(folded, words: words.count) {
                return true
            }
        } else if startsLikeChrome(folded, words: words.count) {
            return true
        }
        if words.count <= 12, words.allSatisfy({ shareWords.contains($0.text) }) { return true }
        if isCommentCount(words) { return true }
        return isByline(folded, words: words)
    }

    /// The whole-line and line-prefix rules of `isChromeLine`.
    static func startsLikeChrome(_ folded: FoldedLine, words: Int) -> Bool {
        var bare = Substring(folded.text)
        while let last = bare.last, bareTrail.contains(last) { bare.removeLast() }
        if wholeLines.contains(String(bare)) { return true }
        for (k, rule) in linePrefixes.enumerated() where words <= rule.maxWords {
            if folded.hasPrefix(rule.prefix, bytes: linePrefixBytes[k]) { return true }
        }
        return false
    }

    /// `startsLikeChrome` on an ASCII line's bytes: only the prefixes that start with the line's
    /// first byte can match.
    static func asciiChromeStart(_ bytes: UnsafeBufferPointer<UInt8>, words: Int) -> Bool {
        var end = bytes.count
        while end > 0, asciiBareTrail.contains(bytes[end - 1]) { end -= 1 }
        if wholeLines.contains(String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<end]), as: UTF8.self)) { return true }
        guard let first = bytes.first else { return false }
        for k in prefixesByFirstByte[Int(first)] where words <= linePrefixes[k].maxWords {
            if bytes.starts(with: linePrefixBytes[k]) { return true }
        }
        return false
    }

    /// `bareTrail`'s ASCII characters.
    private static let asciiBareTrail: [UInt8] = bareTrail.compactMap(\.asciiValue)
    /// Indexes into `linePrefixes` by their first byte.
    private static let prefixesByFirstByte: [[Int]] = {
        var table = [[Int]](repeating: [], count: 256)
        for (k, bytes) in linePrefixBytes.enumerated() { table[Int(bytes[0])].append(k) }
        return table
    }()

    /// "By Jane Doe", "Par Moussa Traoré, à Bamako": short, no sentence punctuation.
    static func isByline(_ folded: FoldedLine, words: [Token]) -> Bool {
        guard words.count <= 7, let first = words.first, first.text == "by" || first.text == "par" || first.text == "de" else {
            return false
        }
        return !folded.endsWithPeriod && folded.text.hasPrefix(first.text + " ")
    }

    /// "12 comments", "3 commentaires", "Comments (4)", "5 réactions".
    static func isCommentCount(_ words: [Token]) -> Bool {
        guard words.count <= 3 else { return false }
        return words.contains { nouns.contains($0.text) }
            && words.allSatisfy { nouns.contains($0.text) || $0.text.allSatisfy(\.isNumber) }
    }

    private static let nouns: Set<String> = ["comment", "comments", "commentaire", "commentaires", "reaction", "reactions",
                                             "reply", "replies", "reponse", "reponses"]

    /// Removes in-line chrome: "The post … appeared first on …", trailing "[…]"/"Read more",
    /// and parenthesised agency credits.
    static func stripInline(_ line: Substring) -> Substring {
        Substring(String(decoding: stripInline(Array(line.utf8)), as: UTF8.self))
    }

    static func stripInline(_ input: [UInt8]) -> [UInt8] {
        var s = Array(input[0..<input.withUnsafeBufferPointer(inlineEnd)])
        if s.withUnsafeBufferPointer(hasAgencyCredit) { removeAgencyCredits(&s) }
        return s
    }

    /// Where `line` ends once "The post … appeared first on …" and trailing "[…]", "Read more" and
    /// spaces are cut (all of it at the end of the line: no copy needed). A cut never splits a
    /// word ("… could spread more" keeps "spread"): stripping only ever drops whole words, which
    /// the classifier's first look at a story (`RequireScreen`) relies on.
    static func inlineEnd(_ s: UnsafeBufferPointer<UInt8>) -> Int {
        var end = s.count
        for (start, marker) in appearedFirst {
            if let m = UTF8Search.find(marker, in: s), let p = UTF8Search.findLast(start, in: s, before: m),
               !UTF8Search.isInsideWord(s, p) {
                end = p
                break
            }
        }
        for _ in 0..<2 {
            while end > 0, UTF8Search.isSpace(s[end - 1]) { end -= 1 }
            for tail in inlineTails where end > tail.count && UTF8Search.hasSuffix(s, end: end, tail)
                && !UTF8Search.isInsideWord(s, end - tail.count) {
                end -= tail.count
                break
            }
        }
        while end > 0, UTF8Search.isSpace(s[end - 1]) { end -= 1 }
        return end
    }

    /// Whether plain `text` ends with a mark that it goes on elsewhere ("…", "[…]", "Read more",
    /// "Continue reading", "Lire la suite"), the marks `strip` cuts from a line's end.
    public static func looksTruncated(_ text: String) -> Bool {
        var tail = Array(text.utf8.suffix(64))
        while let last = tail.last, UTF8Search.isSpace(last) { tail.removeLast() }
        // A cut inside a character leaves a few continuation bytes: a word's tail, never a mark.
        return tail.withUnsafeBufferPointer { s in
            truncationTails.contains { mark in
                UTF8Search.hasSuffix(s, end: s.count, mark) && !UTF8Search.isInsideWord(s, s.count - mark.count)
            }
        }
    }

    /// Whether `line` holds a parenthesised agency credit.
    static func hasAgencyCredit(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        guard UTF8Search.contains(0x28, in: line) else { return false }        // "("
        return agencies.contains { UTF8Search.find($0, in: line) != nil }
    }

    /// Removes parenthesised agency credits from inside the line, in one pass: the line is
    /// copied once, so a line of a million credits costs a million steps, not a million copies
    /// of the line. A credit that removing another one brings together ("((afp)afp)") stays.
    static func removeAgencyCredits(_ s: inout [UInt8]) {
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        var i = 0
        let n = s.count
        s.withUnsafeBufferPointer { s in
            while i < n {
                guard s[i] == 0x28, let agency = agencies.first(where: { UTF8Search.hasPrefix(s, at: i, $0) }) else {
                    out.append(s[i])
                    i += 1
                    continue
                }
                var end = i + agency.count
                // "BAMAKO (AFP) - …" → "BAMAKO - …": take one neighbouring space with it.
                if end < n, s[end] == 0x20, out.last == 0x20 { end += 1 }
                // "Bamako(AFP)Gunmen": the two words stay two.
                if !out.isEmpty, end < n, joinsWords(out, s, at: end) { out.append(0x20) }
                i = end
            }
        }
        s = out
    }

    /// Whether the last character of `out` and the one at `s[at]` are both letters or digits.
    private static func joinsWords(_ out: [UInt8], _ s: UnsafeBufferPointer<UInt8>, at: Int) -> Bool {
        var start = out.count - 1
        while start > 0, out[start] & 0xC0 == 0x80 { start -= 1 }
        var next = at + 1
        while next < s.count, s[next] & 0xC0 == 0x80 { next += 1 }
        let pair = Array(out[start...]) + Array(s[at..<next])
        return pair.withUnsafeBufferPointer { UTF8Search.isInsideWord($0, out.count - start) }
    }

    private static let appearedFirst: [([UInt8], [UInt8])] = [
        (Array("the post ".utf8), Array(" appeared first on ".utf8)),
        (Array("cet article ".utf8), Array(" est apparu en premier sur ".utf8)),
    ]
    /// Trailing marks that say the text goes on behind the link: stripped from a line's end, and
    /// what `looksTruncated` reads (the daemon's rule for fetching the article page).
    static let truncationTails: [[UInt8]] = ["[…]", "[...]", "(…)", "(...)", "read more »", "read more", "continue reading →",
                                             "continue reading", "lire la suite »", "lire la suite", "…", "..."].map { Array($0.utf8) }
    /// Longer marks first: "read more »" must be cut whole, not just its "»".
    static let inlineTails: [[UInt8]] = truncationTails + ["»", "→"].map { Array($0.utf8) }
    private static let agencies: [[UInt8]] = ["(afp)", "(reuters)", "(ap)", "(apa)", "(xinhua)", "(anadolu)", "(aa)", "(ats)"]
        .map { Array($0.utf8) }
}

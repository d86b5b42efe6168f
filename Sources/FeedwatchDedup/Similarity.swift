/// The pairwise decisions, on fingerprints alone.
enum Similarity {
    /// The containment score when `a` and `b` are the same text republished, else nil.
    ///
    /// Both must hold: enough of the smaller sample occurs in the other (`containment`), and one
    /// story's lead occurs in the other (`leadContainment`) — republications keep the lead, while
    /// distinct dispatches on one region at most share a background paragraph. Two stories each
    /// naming a place or actor the other never mentions are two events in one mould, however
    /// much of their wording they share.
    static func nearDuplicate(_ a: FingerprintView, _ b: FingerprintView, config: DedupConfig) -> Double? {
        guard !a.keys.isEmpty, !b.keys.isEmpty, !distinct(a, b), !differentDays(a, b),
              !otherNames(a, b) else { return nil }
        // Samples hold at most 32 keys: linear scans beat building hash sets.
        var shared = 0, leadAinB = 0
        let bKeys = b.keys
        for (i, k) in a.keys.enumerated() where bKeys.contains(k) {
            shared += 1
            if i < a.leadCount { leadAinB += 1 }
        }
        let smaller = min(a.keys.count, b.keys.count)
        guard shared >= min(config.minSharedShingles, smaller) else { return nil }
        let containment = Double(shared) / Double(smaller)
        guard containment >= config.containment else { return nil }
        let aKeys = a.keys
        var leadBinA = 0
        for k in bKeys.prefix(b.leadCount) where aKeys.contains(k) { leadBinA += 1 }
        let leadA = a.leadCount > 0 ? Double(leadAinB) / Double(a.leadCount) : 0
        let leadB = b.leadCount > 0 ? Double(leadBinA) / Double(b.leadCount) : 0
        guard max(leadA, leadB) >= config.leadContainment else { return nil }
        return containment
    }

    /// The score when `a`, arriving now, copies `b`, indexed earlier, by the short-item rules,
    /// else nil:
    /// - `a` is a bare headline (no summary) and its headline is `b`'s up to case, punctuation and
    ///   light edits (`headlineSimilarity`): aggregators re-headline wire copy lightly and drop
    ///   its text;
    /// - `a` and `b` carry the same headline word for word, and `b` is bare or the two summaries
    ///   are the same, one truncated or lightly edited (`summaryOverlap` of the shorter opening's
    ///   shingles occurs in the other's); below that each outlet wrote its own summary and the two
    ///   are reports of one story (`sameHeadline`), not copies;
    /// - any headline over the same opening (`openingContainment`, both openings at least
    ///   `minOpening` shingles): a rewritten headline over the wire's first sentence.
    /// A copy with no summary on one side must have arrived within `clusterWindow` of the other
    /// (`apart`, seconds): a recurring headline — a daily column — repeats days apart, while
    /// syndicated copy follows within hours. Always: neither story names a place or actor the
    /// other never mentions while the other names one it lacks (one mould, another town), and
    /// tolls and days agree (`distinct`, `differentDays`).
    /// The cheap tests run first (headline words, then openings, each stopping as soon as it
    /// cannot succeed): most candidates are other stories.
    static func shortCopy(_ a: FingerprintView, _ b: FingerprintView, apart: Double, config: DedupConfig) -> Double? {
        guard a.header.titleWordCount > 0, b.header.titleWordCount > 0, !bareApart(a, b, apart: apart, config: config)
        else { return nil }
        let score: Double
        if a.opening.isEmpty {
            guard headlineSimilarity(a, b, config: config) != nil else { return nil }
            score = 1
        } else {
            let sameTitle = a.titleWords.count >= config.minHeadlineWords && sameWords(a.titleWords, b.titleWords)
            if b.opening.isEmpty {
                guard sameTitle else { return nil }
                score = 1
            } else {
                guard sameTitle || min(a.opening.count, b.opening.count) >= config.minOpening,
                      let overlap = openingOverlap(a, b, atLeast: sameTitle ? config.summaryOverlap : config.openingContainment)
                else { return nil }
                score = overlap
            }
        }
        guard !distinct(a, b), !differentDays(a, b), !otherNames(a, b) else { return nil }
        return score
    }

    /// One of the two is a bare headline (no text) and they arrived more than `clusterWindow`
    /// apart: a headline recurring days later is a column or a running report, not a copy.
    static func bareApart(_ a: FingerprintView, _ b: FingerprintView, apart: Double, config: DedupConfig) -> Bool {
        apart > config.clusterWindow && ((a.header.titleWordCount > 0 && a.opening.isEmpty)
                                         || (b.header.titleWordCount > 0 && b.opening.isEmpty))
    }

    /// The same words, in any order and number (a headline and its copy, up to case and punctuation).
    static func sameWords(_ x: UnsafeBufferPointer<UInt32>, _ y: UnsafeBufferPointer<UInt32>) -> Bool {
        x.allSatisfy { y.contains($0) } && y.allSatisfy { x.contains($0) }
    }

    /// The two reports of one event: the same headline (up to case, punctuation and light edits),
    /// each over its outlet's own summary. Nil when tolls or days disagree.
    /// Nor when the two summaries share their wording (`summaryOverlap`) while each names a place
    /// or actor the other lacks: that is one mould filled in for another town, where own
    /// write-ups differ in wording and names alike.
    static func sameHeadline(_ a: FingerprintView, _ b: FingerprintView, config: DedupConfig) -> Double? {
        guard let similarity = headlineSimilarity(a, b, config: config), !distinct(a, b), !differentDays(a, b)
        else { return nil }
        if otherNames(a, b), !a.opening.isEmpty, !b.opening.isEmpty,
           openingOverlap(a, b, atLeast: config.summaryOverlap) != nil {
            return nil
        }
        return similarity
    }

    /// The Dice coefficient of the two headlines' words when it reaches `headlineSimilarity` and
    /// both have `minHeadlineWords` words, else nil. Words, not phrases: a light edit ("told
    /// Russia to" / "of", "is found" / "found", an inserted "in Capitol riot") costs a word or two.
    static func headlineSimilarity(_ a: FingerprintView, _ b: FingerprintView, config: DedupConfig) -> Double? {
        let x = a.titleWords, y = b.titleWords
        guard x.count >= config.minHeadlineWords, y.count >= config.minHeadlineWords else { return nil }
        // Dice ≥ t needs this many shared words: stop once the rest of `x` cannot reach it.
        let needed = (config.headlineSimilarity * Double(x.count + y.count) / 2 - 1e-9).rounded(.up)
        var shared = 0.0
        for (i, w) in x.enumerated() {
            if y.contains(w) && !x[..<i].contains(w) { shared += 1 }
            if shared + Double(x.count - i - 1) < needed { return nil }
        }
        let dice = 2 * shared / Double(x.count + y.count)
        return dice >= config.headlineSimilarity ? dice : nil
    }

    /// The share of the shorter opening's shingles found in the other when it reaches `least`,
    /// else nil (stopping as soon as it cannot).
    static func openingOverlap(_ a: FingerprintView, _ b: FingerprintView, atLeast least: Double) -> Double? {
        let (s, l) = a.opening.count <= b.opening.count ? (a.opening, b.opening) : (b.opening, a.opening)
        guard !s.isEmpty else { return nil }
        let needed = (least * Double(s.count) - 1e-9).rounded(.up)
        var shared = 0.0
        for (i, k) in s.enumerated() {
            if l.contains(k) { shared += 1 }
            if shared + Double(s.count - i - 1) < needed { return nil }
        }
        return shared / Double(s.count)
    }

    /// Each of two stories with text names a place or actor the other never mentions: one mould
    /// filled in for two events. A bare headline's names are its headline's, which the headline
    /// rules compare (`distinct`); against a summary's they would say nothing.
    static func otherNames(_ a: FingerprintView, _ b: FingerprintView) -> Bool {
        hasText(a) && hasText(b) && foreignName(a, to: b) && foreignName(b, to: a)
    }

    /// Not a bare headline (stories indexed before headlines were kept count as having text).
    static func hasText(_ x: FingerprintView) -> Bool { x.header.titleWordCount == 0 || !x.opening.isEmpty }

    /// `x` names a place or actor (title or opening) that `y` never mentions.
    static func foreignName(_ x: FingerprintView, to y: FingerprintView) -> Bool {
        x.names.contains { !y.names.contains($0) && !y.initialNames.contains($0) && !y.titleNames.contains($0) }
    }

    /// A score when `a` and `b` report one event: the same headline, or shared names and words.
    static func sameStory(_ a: FingerprintView, _ b: FingerprintView, config: DedupConfig) -> Double? {
        if let h = sameHeadline(a, b, config: config) { return 1 + h }
        return sameEvent(a, b, config: config)
    }

    /// A score when `a` and `b` report the same event (shared names and similar title/lead), else nil.
    static func sameEvent(_ a: FingerprintView, _ b: FingerprintView, config: DedupConfig) -> Double? {
        guard !distinct(a, b) else { return nil }
        // A follow-up reports a later day ("residents buried their dead on Monday"), often without
        // the toll; two reports giving one toll on different days are two attacks.
        if differentDays(a, b), !numbers(a.facts).isEmpty, !numbers(b.facts).isEmpty { return nil }
        let sharedNames = sortedIntersectionCount(a.names, b.names)
            + sortedIntersectionCount(a.initialNames, b.names) + sortedIntersectionCount(a.names, b.initialNames)
        guard sharedNames >= 1 else { return nil }
        if sharedNames >= config.clusterNamesAlone { return 0.05 * Double(sharedNames) + 0.2 }
        if a.languageCode != 0, b.languageCode != 0, a.languageCode != b.languageCode {
            // Words cannot be compared across languages; names (places, groups) can.
            return sharedNames >= config.clusterCrossLanguageNames ? 0.05 * Double(sharedNames) : nil
        }
        let sharedWords = sortedIntersectionCount(a.words, b.words)
        let union = a.words.count + b.words.count - sharedWords
        let jaccard = union > 0 ? Double(sharedWords) / Double(union) : 0
        let strong = jaccard >= config.clusterStrongSimilarity
        let named = sharedNames >= config.clusterMinSharedNames && jaccard >= config.clusterSimilarity
        guard strong || named else { return nil }
        return jaccard + 0.05 * Double(sharedNames)
    }

    /// Headlines about different named places or actors: each title carries a confirmed name the
    /// other story never mentions (an attack near Djibo, another near Arbinda). Wire reports of
    /// different events share background paragraphs, country names and vocabulary; their
    /// headlines name what sets them apart.
    /// So are two stories whose titles and first sentences give different numbers (tolls).
    static func distinct(_ a: FingerprintView, _ b: FingerprintView) -> Bool {
        func foreign(_ x: FingerprintView, to y: FingerprintView) -> Bool {
            x.titleNames.contains { !y.names.contains($0) && !y.initialNames.contains($0) && !y.titleNames.contains($0) }
        }
        if foreign(a, to: b) && foreign(b, to: a) { return true }
        let aNumbers = numbers(a.facts), bNumbers = numbers(b.facts)
        return !aNumbers.isEmpty && !bNumbers.isEmpty && sortedIntersectionCount(aNumbers, bNumbers) == 0
    }

    /// Each first sentence reports a day that the other's opening never names: two dispatches
    /// (an attack on Monday, another on Wednesday) written in one mould. A copy keeps its day; an
    /// update that leads with a new day quotes the original further down, which names it.
    static func differentDays(_ a: FingerprintView, _ b: FingerprintView) -> Bool {
        let (aLede, aAll, _) = days(a.facts), (bLede, bAll, _) = days(b.facts)
        return aLede != 0 && bLede != 0 && aLede & bAll == 0 && bLede & aAll == 0
    }

    /// The facts that are numbers (after the weekdays).
    static func numbers(_ facts: UnsafeBufferPointer<UInt32>) -> UnsafeBufferPointer<UInt32> {
        UnsafeBufferPointer(rebasing: facts[days(facts).count...])
    }

    /// The weekday facts as masks (first sentence; whole opening) and how many there are.
    private static func days(_ facts: UnsafeBufferPointer<UInt32>) -> (lede: UInt8, all: UInt8, count: Int) {
        var lede: UInt8 = 0, all: UInt8 = 0, n = 0
        for f in facts {
            // 0 is no weekday (a fact read back from a damaged index must not trap).
            guard f >= 1, f <= 2 * Fingerprint.lastWeekday else { break }
            let bit = UInt8(1) << ((f - 1) % Fingerprint.lastWeekday)
            if f <= Fingerprint.lastWeekday { lede |= bit }
            all |= bit
            n += 1
        }
        return (lede, all, n)
    }

    static func sortedIntersectionCount(_ a: UnsafeBufferPointer<UInt32>, _ b: UnsafeBufferPointer<UInt32>) -> Int {
        var i = a.startIndex, j = b.startIndex, n = 0
        while i < a.endIndex && j < b.endIndex {
            if a[i] == b[j] { n += 1; i += 1; j += 1 } else if a[i] < b[j] { i += 1 } else { j += 1 }
        }
        return n
    }
}

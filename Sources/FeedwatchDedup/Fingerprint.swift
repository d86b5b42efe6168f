import FeedwatchText

/// What the index keeps of one story: enough to decide duplicates and clusters, not the text.
///
/// Near-duplicate keys are Broder's MOD-m sample of the story's word 4-shingles: a shingle is kept
/// when its hash is 0 mod 4, so every copy of a passage keeps the same shingles wherever the passage
/// sits. Unlike MinHash or SimHash (symmetric similarity), overlap of these samples estimates
/// *containment*, which is what truncated copies and updated versions need.
struct Fingerprint: Sendable, Equatable {
    /// Hashes, counts and language; `header.offset` is 0 (the lists start `values`).
    var header: FingerprintHeader
    /// Keys, names, initial names, words, title names, facts, headline words and opening shingles
    /// back to back: one allocation.
    var values: [UInt32]

    init(header: FingerprintHeader, values: [UInt32]) {
        self.header = header
        self.values = values
    }

    /// Runs `body` on this fingerprint read in place.
    func withView<R>(_ body: (FingerprintView) throws -> R) rethrows -> R {
        try values.withUnsafeBufferPointer { try body(FingerprintView(header: header, in: $0)) }
    }

    static let maxKeys = 32
    static let maxNames = 10
    static let maxWords = 24
    static let maxTitleNames = 6
    static let maxFacts = 6
    /// Weekday facts at most: a story naming more days is a chronicle, not one dated dispatch.
    static let maxWeekdays = 3
    static let sampleMask: UInt64 = 3

    /// Headline words kept (a headline is rarely longer).
    static let maxTitleWords = 20
    /// Body words whose 3-shingles are kept whole: about a summary sentence, which is all many
    /// feeds send, and what a truncated copy keeps.
    static let openingWords = 24

    init(idHash: UInt64, linkHash: UInt64, keys: [UInt32], leadCount: Int, names: [UInt32], initialNames: [UInt32],
         words: [UInt32], titleNames: [UInt32], facts: [UInt32], language: String?, titleWords: [UInt32] = [],
         opening: [UInt32] = []) {
        let keys = keys.prefix(Fingerprint.maxKeys), names = names.prefix(Fingerprint.maxNames)
        let initialNames = initialNames.prefix(Fingerprint.maxNames), words = words.prefix(Fingerprint.maxWords)
        let titleNames = titleNames.prefix(Fingerprint.maxTitleNames), facts = facts.prefix(Fingerprint.maxFacts + Fingerprint.maxWeekdays)
        let titleWords = titleWords.prefix(Fingerprint.maxTitleWords), opening = opening.prefix(Fingerprint.openingWords)
        values = Array(keys) + names + initialNames + words + titleNames + facts + titleWords + opening
        header = FingerprintHeader(idHash: idHash, linkHash: linkHash, keyCount: UInt8(keys.count),
                                   nameCount: UInt8(names.count), initialCount: UInt8(initialNames.count),
                                   wordCount: UInt8(words.count), titleNameCount: UInt8(titleNames.count),
                                   factCount: UInt8(facts.count), lead: UInt8(min(leadCount, keys.count)),
                                   languageCode: FingerprintHeader.languageCode(language),
                                   titleWordCount: UInt8(titleWords.count), openingCount: UInt8(opening.count))
    }

    init(id: String, text: StoryText, leadTokens: Int) {
        let linkHash: UInt64 = text.linkIdentity.map { (link: String) -> UInt64 in
            // http and https copies of one article are one link.
            let bytes = Array(link.utf8)
            var start = 0
            if let i = bytes.indices.dropLast(2).first(where: { bytes[$0] == 0x3A && bytes[$0 + 1] == 0x2F && bytes[$0 + 2] == 0x2F }) {
                start = i + 3
            }
            return StableHash.of(bytes: bytes[start...])
        } ?? 0
        // Every sampled word is hashed from its bytes; only the first ones, which content words
        // and facts read, become strings.
        var bodyHashes: [UInt64] = [], bodyTokens: [Token] = []
        bodyHashes.reserveCapacity(min(text.body.utf8.count, Fingerprint.sampledBytes) / 5)
        Tokenizer.forEachWord(Fingerprint.sampledPart(of: text.body)) { word in
            bodyHashes.append(StableHash.of(bytes: word))
            if bodyTokens.count < Fingerprint.wordsRead {
                bodyTokens.append(Token(text: String(decoding: word, as: UTF8.self), position: bodyTokens.count))
            }
        }
        let titleTokens = Tokenizer.tokens(text.title)
        let hashes = bodyHashes.count < 12 ? titleTokens.map { StableHash.of($0.text) } + bodyHashes : bodyHashes
        let (keys, leadCount) = Fingerprint.sample(hashes, leadTokens: leadTokens)
        let (names, initialNames, titleNames) = NameExtractor.names(title: text.title, lead: Fingerprint.lead(of: text),
                                                        limit: Fingerprint.maxNames)
        self.init(idHash: StableHash.of(id), linkHash: linkHash, keys: keys, leadCount: leadCount, names: names,
                  initialNames: initialNames,
                  words: Fingerprint.contentWords(titleTokens + bodyTokens, language: text.language),
                  titleNames: titleNames, facts: Fingerprint.facts(title: titleTokens, body: bodyTokens),
                  language: text.language, titleWords: titleTokens.prefix(Fingerprint.maxTitleWords).map { StableHash.key(StableHash.of($0.text)) },
                  opening: Fingerprint.opening(bodyHashes))
    }

    /// Every word 3-shingle of the first `openingWords` words (a shorter body: its one padded
    /// shingle). Unsampled, unlike `keys`: a one-sentence summary has too few shingles for a
    /// sample to compare, and copies of it keep its words in order from the first.
    static func opening(_ hashes: [UInt64]) -> [UInt32] {
        let n = min(hashes.count, openingWords)
        guard n > 0 else { return [] }
        guard n >= 3 else { return [StableHash.key(StableHash.shingle(hashes[0], n > 1 ? hashes[1] : 0, 0, 3))] }
        return (0...(n - 3)).map { StableHash.key(StableHash.shingle(hashes[$0], hashes[$0 + 1], hashes[$0 + 2], 3)) }
    }

    /// Numbers (tolls; not years) in the title and the body's first sentence, and the weekdays
    /// named there: two dispatches on one town that differ in their toll, or in the day they
    /// report, are two events however alike their wording (`Similarity.distinct`,
    /// `Similarity.differentDays`). Weekdays are
    /// stored below any number's key: 1...7 when the first sentence names them, 8...14 when only
    /// the next ones do, so an update whose new lede reports Tuesday's threats still meets the
    /// original it quotes further down about Monday's blast.
    static func facts(title: [Token], body: [Token]) -> [UInt32] {
        var out = Set<UInt32>(), days = Set<UInt32>()
        var previous = ""
        for t in title + body.prefix(factWords) {
            defer { previous = t.text }
            if let day = weekday(t.text) {
                days.insert(day)
                continue
            }
            let u = t.text.utf8
            if isNumber(u) {
                if u.count == 4, let year = Int(t.text), (1900...2099).contains(year) { continue }
                // "UPDATE 2-…" numbers the versions of one dispatch, not an event.
                if previous == "update" || previous == "updated" || previous == "corrected" { continue }
                out.insert(StableHash.key(StableHash.of(t.text)))
            }
            if out.count == maxFacts { break }
        }
        var later = Set<UInt32>()
        for t in body.dropFirst(factWords) {
            if let day = weekday(t.text), !days.contains(day) { later.insert(day + lastWeekday) }
        }
        guard days.count + later.count <= maxWeekdays else { return out.sorted() }
        return days.sorted() + later.sorted() + out.sorted()
    }

    /// A toll, count or ordinal: digits, possibly grouped or with a decimal part ("20,000", "3.5"),
    /// and at most three letters after them ("10th", "2e", "350m"). "Death toll passes 20,000"
    /// and "… 23,000", "protests for the 10th week" and "11th" are other events in one mould.
    static func isNumber(_ u: String.UTF8View) -> Bool {
        guard u.count <= 10, let first = u.first, first &- 0x30 < 10 else { return false }
        var letters = 0, last = first
        for b in u.dropFirst() {
            if b &- 0x30 < 10 {
                guard letters == 0 else { return false }
            } else if b == 0x2C || b == 0x2E {
                guard letters == 0, last &- 0x30 < 10 else { return false }
            } else if b &- 0x61 < 26 {
                letters += 1
            } else {
                return false
            }
            last = b
        }
        return letters <= 3
    }

    /// 1 (Monday) to 7 (Sunday) for an English or French weekday, possessive or not.
    static func weekday(_ word: String) -> UInt32? {
        // Every English day ends in "day", every French one in "di" but "dimanche": most words
        // are turned away by their last bytes, before any hashing (this runs on every word of an
        // opening).
        var u = word.utf8[...]
        if u.last == 0x73 {     // "Monday's", "Monday’s"; no day itself ends in "s"
            u = u.dropLast()
            if u.last == 0x27 {
                u = u.dropLast()
            } else if u.last == 0x99, u.count >= 3 {
                u = u.dropLast(3)
            } else {
                return nil
            }
        }
        guard u.count >= 5, u.count <= 9, let last = u.last else { return nil }
        let second = u[u.index(before: u.index(before: u.endIndex))]
        guard (last == 0x79 && second == 0x61) || (last == 0x69 && second == 0x64) || (last == 0x65 && second == 0x68)
        else { return nil }
        return weekdays[Substring(u)]
    }

    static let weekdays: [Substring: UInt32] = [
        "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6, "sunday": 7,
        "lundi": 1, "mardi": 2, "mercredi": 3, "jeudi": 4, "vendredi": 5, "samedi": 6, "dimanche": 7,
    ]

    /// Weekday facts sort first: 1...7 from the first sentence, 8...14 from the rest of the opening.
    static let lastWeekday: UInt32 = 7

    /// The body up to `sampledBytes`, cut at a space: the sample is full (`maxKeys`) long before.
    static func sampledPart(of body: String) -> String {
        let utf8 = body.utf8
        guard utf8.count > sampledBytes else { return body }
        var end = utf8.index(utf8.startIndex, offsetBy: sampledBytes)
        while end > utf8.startIndex && utf8[end] != 0x20 { end = utf8.index(before: end) }
        return String(body[..<end])
    }

    /// About six times the words a full sample needs (`maxKeys` keys at one shingle in four).
    static let sampledBytes = 6_000

    /// About a lede sentence.
    static let factWords = 35

    /// Body words that content words and facts read (more than `factWords`).
    static let wordsRead = 80

    /// The MOD-4 sample of 4-shingles; texts under four words yield their single whole-text shingle.
    static func sample(_ hashes: [UInt64], leadTokens: Int) -> (keys: [UInt32], leadCount: Int) {
        guard !hashes.isEmpty else { return ([], 0) }
        if hashes.count < 4 {
            let padded = hashes + Array(repeating: 0, count: 4 - hashes.count)
            return ([StableHash.key(StableHash.shingle(padded[0], padded[1], padded[2], padded[3]))], 1)
        }
        var keys: [UInt32] = []
        keys.reserveCapacity(maxKeys)
        var seen = Set<UInt32>(minimumCapacity: maxKeys)
        var leadCount = 0
        for i in 0...(hashes.count - 4) {
            let h = StableHash.shingle(hashes[i], hashes[i + 1], hashes[i + 2], hashes[i + 3])
            guard h & sampleMask == 0 else { continue }
            let key = StableHash.key(h)
            guard seen.insert(key).inserted else { continue }
            keys.append(key)
            if i < leadTokens { leadCount += 1 }
            if keys.count == maxKeys { break }
        }
        return (keys, leadCount)
    }

    /// The first paragraphs of the body, up to about 80 words.
    static func lead(of text: StoryText) -> String {
        String(text.lead(words: 80))
    }

    static func contentWords(_ tokens: [Token], language: String?) -> [UInt32] {
        var out = Set<UInt32>()
        for t in tokens where t.text.utf8.count >= 3 && !Stopwords.contains(t.text) {
            out.insert(StableHash.key(StableHash.of(Stemmer.stem(t.text, language: language))))
            if out.count == maxWords { break }
        }
        return out.sorted()
    }
}

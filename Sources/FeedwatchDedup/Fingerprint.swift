import FeedwatchText

/// What the index keeps of one story: enough to decide duplicates and clusters, not the text.
///
/// Near-duplicate keys are Broder's MOD-m sample of the story's word 4-shingles: a shingle is kept
/// when its hash is 0 mod 4, so every copy of a passage keeps the same shingles wherever the passage
/// sits. Unlike MinHash or SimHash (symmetric similarity), overlap of these samples estimates
/// *containment*, which is what truncated copies and updated versions need.
struct Fingerprint: Sendable, Equatable {
    /// Stable hash of the story id.
    var idHash: UInt64
    /// Stable hash of the canonical link without its scheme; 0 when the story has no link.
    var linkHash: UInt64
    /// Sampled shingle keys in text order, distinct, at most `maxKeys`.
    var keys: [UInt32]
    /// How many of `keys` start within the lead (the first `leadTokens` words).
    var leadCount: Int
    /// Capitalised names (places, actors) of title and lead, sorted.
    var names: [UInt32]
    /// Sentence-initial capitalised words of title and lead that may be names, sorted.
    var initialNames: [UInt32]
    /// Stemmed content words of title and lead, sorted.
    var words: [UInt32]
    /// Detected language (two letters), for comparing words only within one language.
    var language: String?

    static let maxKeys = 32
    static let maxNames = 10
    static let maxWords = 24
    static let sampleMask: UInt64 = 3

    init(idHash: UInt64, linkHash: UInt64, keys: [UInt32], leadCount: Int, names: [UInt32], initialNames: [UInt32],
         words: [UInt32], language: String?) {
        self.idHash = idHash
        self.linkHash = linkHash
        self.keys = keys
        self.leadCount = leadCount
        self.names = names
        self.initialNames = initialNames
        self.words = words
        self.language = language
    }

    init(id: String, text: StoryText, leadTokens: Int) {
        idHash = StableHash.of(id)
        linkHash = text.canonicalLink.map { link in
            let bare = link.range(of: "://").map { String(link[$0.upperBound...]) } ?? link
            return StableHash.of(bare)
        } ?? 0
        var tokens = Tokenizer.tokens(text.body)
        if tokens.count < 12 { tokens = Tokenizer.tokens(text.title + "\n" + text.body) }
        let hashes = tokens.map { StableHash.of($0.text) }
        (keys, leadCount) = Fingerprint.sample(hashes, leadTokens: leadTokens)

        let lead = Fingerprint.lead(of: text)
        (names, initialNames) = NameExtractor.names(title: text.title, lead: lead, limit: Fingerprint.maxNames)
        words = Fingerprint.contentWords(Tokenizer.tokens(text.title + "\n" + lead), language: text.language)
        language = text.language
    }

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
        var lead = ""
        var words = 0
        for paragraph in text.paragraphs {
            lead += paragraph + "\n\n"
            words += paragraph.split(separator: " ").count
            if words >= 80 { break }
        }
        return lead
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

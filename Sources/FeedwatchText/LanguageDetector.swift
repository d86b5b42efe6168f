/// Guesses a text's language from its function words.
///
/// Function words (articles, prepositions, pronouns, auxiliaries) are the most frequent words of
/// any running text and differ between languages, so counting them is robust even on a headline
/// plus a summary. Words shared by two languages (`a`, `on`, `de`, `en`) are left out.
public enum LanguageDetector {
    /// Languages known, with their distinctive function words (folded).
    static let stopwords: [String: Set<String>] = [
        "en": ["the", "and", "of", "to", "in", "is", "was", "were", "for", "that", "with", "by", "from",
               "this", "have", "has", "had", "which", "said", "they", "their", "it", "its", "at", "after",
               "been", "would", "will", "who", "but", "not", "or", "an", "be", "are", "also", "than", "into"],
        "fr": ["le", "la", "les", "des", "du", "et", "est", "une", "un", "dans", "pour", "par", "sur", "au",
               "aux", "qui", "que", "ont", "ete", "avec", "sont", "pas", "ce", "cette", "ces", "il", "ils",
               "elle", "selon", "apres", "mais", "ou", "leur", "leurs", "plus", "lors", "entre", "depuis"],
        "es": ["el", "los", "las", "del", "y", "para", "por", "con", "una", "que", "fue", "segun", "como",
               "pero", "sus", "tras", "entre", "este", "esta", "han", "desde", "hasta", "sobre"],
        "de": ["der", "die", "das", "und", "ist", "nicht", "mit", "von", "den", "dem", "ein", "eine",
               "auf", "fur", "wurde", "sich", "nach", "bei", "aus", "auch", "sind", "wird", "zum", "zur"],
        "pt": ["o", "os", "as", "do", "da", "dos", "das", "e", "um", "uma", "para", "com", "nao", "foi",
               "pelo", "pela", "segundo", "apos", "mas", "seu", "sua", "ao", "aos", "tambem"],
        "it": ["il", "lo", "gli", "della", "delle", "degli", "e", "non", "che", "per", "con", "una",
               "sono", "stato", "dopo", "anche", "come", "alla", "nel", "nella", "ma", "secondo"],
    ]

    /// Returns a two-letter language code, or nil when the text gives too little evidence and
    /// there is no hint. The `hint` (a feed's declared language, e.g. `fr-FR`) is a prior worth
    /// two function-word hits: it decides short or ambiguous text but not a clear contrary text.
    public static func detect(_ text: String, hint: String?) -> String? {
        // The first few hundred words decide; long articles need not be tokenized whole.
        let sample = text.utf8.count > 1000 ? String(decoding: text.utf8.prefix(1000), as: UTF8.self) : text
        // The words are counted as bytes as the scanner finds them: one String and one hashed
        // String lookup per word cost more than the rest of detection.
        var counter = FunctionWordCounter()
        Tokenizer.scan(folded: TextNormalizer.fold(sample), into: &counter)
        return decide(counts: counter.counts, hint: hint)
    }

    /// Counts the function words of each language among a text's first 400 words.
    private struct FunctionWordCounter: WordBytesSink {
        var counts = [Double](repeating: 0, count: LanguageDetector.languages.count)
        var seen = 0

        mutating func word(_ bytes: UnsafeBufferPointer<UInt8>) {
            guard seen < 400 else { return }
            seen += 1
            guard bytes.count <= 7, let mask = LanguageDetector.packedMembership[LanguageDetector.pack(bytes)] else { return }
            for k in 0..<counts.count where mask & (1 << k) != 0 { counts[k] += 1 }
        }
    }

    /// A word of up to seven bytes as one integer: its bytes and its length.
    static func pack(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var key = UInt64(bytes.count) << 56
        for (k, b) in bytes.enumerated() { key |= UInt64(b) << (8 * UInt64(k)) }
        return key
    }

    /// `membership` keyed by `pack`.
    private static let packedMembership: [UInt64: UInt8] = {
        var m: [UInt64: UInt8] = [:]
        for (word, mask) in membership where word.utf8.count <= 7 {
            var word = word
            word.withUTF8 { m[pack($0)] = mask }
        }
        return m
    }()

    private static let languages: [String] = stopwords.keys.sorted()
    /// Word → bit set of the languages (indexes into `languages`) it is a function word of.
    private static let membership: [String: UInt8] = {
        var m: [String: UInt8] = [:]
        for (k, language) in languages.enumerated() {
            for word in stopwords[language]! { m[word, default: 0] |= 1 << k }
        }
        return m
    }()

    /// `detect` on text already tokenized with `Tokenizer`.
    public static func detect(tokens: [Token], hint: String?) -> String? {
        var counts = [Double](repeating: 0, count: languages.count)
        for token in tokens.prefix(400) where token.text.utf8.count <= 7 {
            guard let mask = membership[token.text] else { continue }
            for k in 0..<languages.count where mask & (1 << k) != 0 { counts[k] += 1 }
        }
        return decide(counts: counts, hint: hint)
    }

    /// The language with most function words, the hint counting as two.
    private static func decide(counts: [Double], hint: String?) -> String? {
        let prior = hint.flatMap(primaryTag)
        // Highest score wins, ties to the alphabetically first language; no dictionary per story.
        var best: (key: String, value: Double)?
        func consider(_ key: String, _ value: Double) {
            if let b = best, value < b.value || (value == b.value && key > b.key) { return }
            best = (key, value)
        }
        var priorScored = false
        for (k, language) in languages.enumerated() {
            if let prior, language == prior {
                priorScored = true
                consider(language, counts[k] + 2)
            } else if counts[k] > 0 {
                consider(language, counts[k])
            }
        }
        if let prior, !priorScored { consider(prior, 2) }
        guard let best else { return prior }
        if best.value < 2 { return prior }
        return best.key
    }

    /// `fr-FR` → `fr`; nil for an empty or malformed tag.
    static func primaryTag(_ tag: String) -> String? {
        let head = tag.split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map { $0.lowercased() } ?? ""
        guard (2...3).contains(head.count), head.allSatisfy({ $0.isLetter }) else { return nil }
        return head
    }
}

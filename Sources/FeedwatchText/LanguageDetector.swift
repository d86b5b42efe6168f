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
        return detect(tokens: Tokenizer.tokens(sample), hint: hint)
    }

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
        let prior = hint.flatMap(primaryTag)
        var counts = [Double](repeating: 0, count: languages.count)
        for token in tokens.prefix(400) where token.text.utf8.count <= 7 {
            guard let mask = membership[token.text] else { continue }
            for k in 0..<languages.count where mask & (1 << k) != 0 { counts[k] += 1 }
        }
        var scores: [String: Double] = [:]
        for (k, language) in languages.enumerated() where counts[k] > 0 { scores[language] = counts[k] }
        if let prior { scores[prior, default: 0] += 2 }
        guard let best = scores.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }) else {
            return prior
        }
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

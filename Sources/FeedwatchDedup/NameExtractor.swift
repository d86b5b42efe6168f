import FeedwatchText

/// Capitalised names (places, armed groups, people) from a title and lead, as hashes.
///
/// A capitalised word counts when it is not sentence-initial, or when it is written in capitals
/// (`JNIM`), or when it also appears capitalised elsewhere in the text; function words and
/// calendar words never count. Title-case headlines ("Gunmen Kill 12 In Central Mali") are read
/// like sentence starts, word by word.
enum NameExtractor {
    private static let ignored: Set<String> = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december", "janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout",
        "septembre", "octobre", "novembre", "decembre", "update", "updated", "breaking", "live", "video",
        "photos", "exclusive", "analysis", "president", "minister", "ministre", "general", "colonel",
        "capitaine", "captain", "lieutenant", "reporting", "editing", "writing", "afp", "reuters", "ap",
        "urgent", "gmt", "utc",
        // Countries and regions name where, not what: they recur in unrelated reports.
        "mali", "niger", "nigeria", "burkina", "faso", "chad", "tchad", "mauritania", "mauritanie", "senegal",
        "algeria", "algerie", "libya", "libye", "sudan", "soudan", "cameroon", "cameroun", "benin", "togo",
        "ghana", "ivory", "coast", "cote", "ivoire", "guinea", "guinee", "france", "russia", "russie", "ukraine",
        "europe", "africa", "afrique", "sahel", "west", "ouest", "north", "nord", "south", "sud", "east", "est",
        "central", "centre", "united", "nations", "unies", "state", "etat", "islamic", "islamique",
        // Demonyms and news agencies: every report from one country or one wire carries them.
        "malian", "malien", "malienne", "maliens", "burkinabe", "burkinabes", "nigerien", "nigerienne",
        "nigeriens", "nigerian", "nigeriane", "chadian", "tchadien", "tchadienne", "mauritanian", "mauritanien",
        "algerian", "algerien", "french", "francais", "francaise", "russian", "russe", "russes", "american",
        "americain", "european", "europeen", "african", "africain", "africaine", "sahelian", "sahelien",
        "xinhua", "efe", "dpa", "ansa", "anadolu", "kyodo", "upi", "tass", "ria", "bbc", "rfi", "apa", "aps",
        "map", "ani", "ians", "pti", "yonhap", "aljazeera", "jazeera", "cnn", "voa",
    ]

    /// Capitals: datelines and metonyms for governments ("Bamako said"), not places of events —
    /// except in a headline ("attack near Bamako"), where they count as title names.
    private static let capitals: Set<String> = [
        "bamako", "niamey", "ouagadougou", "djamena", "ndjamena", "nouakchott", "abuja", "dakar", "paris",
        "moscow", "moscou", "washington", "london", "londres", "brussels", "bruxelles", "algiers", "alger",
        "khartoum", "yaounde", "accra", "abidjan", "lome", "cotonou", "conakry",
    ]

    /// Confirmed names, and sentence-initial capitalised words that may be names ("Sikasso
    /// authorities said…"): these count only when they match another story's confirmed name.
    /// `title` lists the confirmed names and capitals the title carries, sorted: what a headline is
    /// about, used to tell two events apart.
    static func names(title: String, lead: String, limit: Int) -> (names: [UInt32], initial: [UInt32], title: [UInt32]) {
        var confirmed: [String] = []
        var initial: [String] = []
        var titleCapitals: [String] = [], ignoredCapitals: [String] = []
        let (titleCase, shouting) = headlineCase(title)
        collect(title, allInitial: titleCase, acronyms: !shouting, confirmed: &confirmed, initial: &initial,
                capitals: &titleCapitals)
        let titleWords = confirmed + initial
        collect(lead, allInitial: false, acronyms: true, confirmed: &confirmed, initial: &initial,
                capitals: &ignoredCapitals)
        var seen = Set<String>()
        var result: [UInt32] = []
        for name in confirmed where seen.insert(name).inserted {
            result.append(StableHash.key(StableHash.of(name)))
            if result.count == limit { break }
        }
        var weak: [UInt32] = []
        for name in initial where seen.insert(name).inserted && weak.count < limit / 2 {
            weak.append(StableHash.key(StableHash.of(name)))
        }
        // Title words that are confirmed names somewhere: a title-case headline's "Kill" is not.
        var titleNames: [UInt32] = []
        for word in titleCapitals + titleWords {
            let key = StableHash.key(StableHash.of(word))
            if (result.contains(key) || capitals.contains(word)) && !titleNames.contains(key) { titleNames.append(key) }
            if titleNames.count == Fingerprint.maxTitleNames { break }
        }
        return (result.sorted(), weak.sorted(), titleNames.sorted())
    }

    /// Whether a headline is in title case, and whether it is in capitals throughout (then its
    /// words are not acronyms either).
    private static func headlineCase(_ title: String) -> (titleCase: Bool, shouting: Bool) {
        var long = 0, capitalised = 0, upper = 0
        scanWords(title) { word, _ in
            guard word.count >= 4 else { return }
            long += 1
            if startsUppercase(word) { capitalised += 1 }
            if isUpperASCII(word) { upper += 1 }
        }
        guard long >= 3 else { return (false, false) }
        return (Double(capitalised) / Double(long) > 0.6, Double(upper) / Double(long) > 0.8)
    }

    private static func isUpperASCII(_ word: ArraySlice<UInt8>) -> Bool {
        word.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) }
    }

    private static func collect(_ text: String, allInitial: Bool, acronyms: Bool, confirmed: inout [String],
                                initial: inout [String], capitals found: inout [String]) {
        scanWords(text) { word, sentenceStart in
            guard startsUppercase(word) else { return }
            let isAcronym = acronyms && word.count >= 2 && isUpperASCII(word)
            guard word.count >= 3 || isAcronym else { return }
            // Words of ASCII letters and digits fold to lower case; only others need the normaliser.
            let folded = word.allSatisfy { $0 < 0x80 }
                ? String(decoding: word.lazy.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
                : TextNormalizer.fold(String(decoding: word, as: UTF8.self))
            guard !Stopwords.contains(folded), !ignored.contains(folded) else { return }
            guard !capitals.contains(folded) else { return found.append(folded) }
            if (sentenceStart || allInitial) && !isAcronym { initial.append(folded) } else { confirmed.append(folded) }
        }
    }

    private static func startsUppercase(_ word: ArraySlice<UInt8>) -> Bool {
        guard let first = word.first else { return false }
        if first < 0x80 { return first >= 0x41 && first <= 0x5A }
        return String(decoding: word.prefix(4), as: UTF8.self).unicodeScalars.first?.properties.isUppercase ?? false
    }

    /// Calls `body` with each word (letters and digits; bytes ≥ 0x80 count as letters except
    /// typographic punctuation) and whether it starts a sentence.
    private static func scanWords(_ text: String, _ body: (ArraySlice<UInt8>, Bool) -> Void) {
        let bytes = Array(text.utf8)
        var sentenceStart = true
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if isWordByte(bytes, i) {
                let start = i
                while i < bytes.count && isWordByte(bytes, i) { i += 1 }
                body(bytes[start..<i], sentenceStart)
                sentenceStart = false
                continue
            }
            switch b {
            case 0x2E, 0x21, 0x3F, 0x0A, 0x3A, 0x22: sentenceStart = true     // . ! ? newline : "
            case 0xC2 where i + 1 < bytes.count && bytes[i + 1] == 0xAB: sentenceStart = true   // «
            case 0xE2 where i + 2 < bytes.count && bytes[i + 1] == 0x80 && bytes[i + 2] == 0x9C: sentenceStart = true // “
            default: break
            }
            i += 1
        }
    }

    /// Letters and digits; multi-byte sequences except typographic punctuation and spaces.
    private static func isWordByte(_ bytes: [UInt8], _ i: Int) -> Bool {
        let b = bytes[i]
        if b < 0x80 { return (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) }
        // Find the lead byte of this scalar and reject punctuation and spaces.
        var lead = i
        while lead > 0 && bytes[lead] & 0xC0 == 0x80 { lead -= 1 }
        let l = bytes[lead]
        if l == 0xC2 { return false }                                   // U+0080–U+00BF: «, », nbsp, ©…
        if l == 0xE2 && lead + 1 < bytes.count && (bytes[lead + 1] == 0x80 || bytes[lead + 1] == 0x81) { return false }  // U+2000–207F
        if l == 0xE3 && lead + 1 < bytes.count && bytes[lead + 1] == 0x80 { return false }   // CJK punctuation
        return true
    }
}

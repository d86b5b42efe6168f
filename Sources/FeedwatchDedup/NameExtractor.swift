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
        // Capitals: datelines and metonyms for governments ("Bamako said"), not places of events.
        "bamako", "niamey", "ouagadougou", "djamena", "ndjamena", "nouakchott", "abuja", "dakar", "paris",
        "moscow", "moscou", "washington", "london", "londres", "brussels", "bruxelles", "algiers", "alger",
        "khartoum", "yaounde", "accra", "abidjan", "lome", "cotonou", "conakry",
    ]

    /// Confirmed names, and sentence-initial capitalised words that may be names ("Sikasso
    /// authorities said…"): these count only when they match another story's confirmed name.
    static func names(title: String, lead: String, limit: Int) -> (names: [UInt32], initial: [UInt32]) {
        var confirmed: [String] = []
        var initial: [String] = []
        let titleIsTitleCase = isTitleCase(title)
        collect(title, allInitial: titleIsTitleCase, confirmed: &confirmed, initial: &initial)
        collect(lead, allInitial: false, confirmed: &confirmed, initial: &initial)
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
        return (result.sorted(), weak.sorted())
    }

    private static func isTitleCase(_ title: String) -> Bool {
        let words = title.split(whereSeparator: { !$0.isLetter }).filter { $0.count >= 4 }
        guard words.count >= 3 else { return false }
        let capitalised = words.filter { $0.first!.isUppercase }.count
        return Double(capitalised) / Double(words.count) > 0.6
    }

    private static func collect(_ text: String, allInitial: Bool, confirmed: inout [String], initial: inout [String]) {
        var word = ""
        var sentenceStart = true
        func flush() {
            guard let first = word.first else { return }
            defer { word = "" }
            guard first.isUppercase else { sentenceStart = false; return }
            let isAcronym = word.count >= 2 && word.allSatisfy { $0.isUppercase || $0.isNumber }
            guard word.count >= 3 || isAcronym else { sentenceStart = false; return }
            let folded = TextNormalizer.fold(word)
            guard !Stopwords.contains(folded), !ignored.contains(folded) else { sentenceStart = false; return }
            if (sentenceStart || allInitial) && !isAcronym { initial.append(folded) } else { confirmed.append(folded) }
            sentenceStart = false
        }
        for ch in text {
            if ch.isLetter || ch.isNumber {
                word.append(ch)
            } else {
                flush()
                if ch == "." || ch == "!" || ch == "?" || ch == "\n" || ch == ":" || ch == "\"" || ch == "«" { sentenceStart = true }
            }
        }
        flush()
    }
}

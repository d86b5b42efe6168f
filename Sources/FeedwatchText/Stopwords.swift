/// Function words of English and French (folded), for weighting and filtering.
public enum Stopwords {
    /// English function words.
    public static let english: Set<String> = [
        "a", "an", "the", "and", "or", "but", "nor", "of", "to", "in", "on", "at", "by", "for", "from", "with",
        "about", "into", "over", "after", "before", "since", "during", "between", "against", "under", "near",
        "as", "than", "that", "this", "these", "those", "there", "here", "which", "who", "whom", "whose",
        "what", "when", "where", "while", "why", "how", "it", "its", "he", "she", "they", "them", "their",
        "his", "her", "we", "our", "you", "your", "i", "me", "my", "is", "are", "was", "were", "be", "been",
        "being", "has", "have", "had", "do", "does", "did", "will", "would", "could", "should", "may", "might",
        "can", "must", "not", "no", "so", "if", "then", "also", "said", "says", "say", "told", "according",
        "more", "most", "some", "other", "such", "any", "all", "both", "each", "one", "two", "three", "up",
        "out", "new", "last", "first", "year", "years", "week", "day", "days", "monday", "tuesday", "wednesday",
        "thursday", "friday", "saturday", "sunday", "mr", "mrs", "ms",
    ]
    /// French function words (folded: `été` → `ete`).
    public static let french: Set<String> = [
        "le", "la", "les", "un", "une", "des", "du", "de", "d", "l", "et", "ou", "mais", "donc", "car", "ni",
        "a", "au", "aux", "en", "dans", "par", "pour", "sur", "sous", "avec", "sans", "entre", "vers", "chez",
        "contre", "depuis", "pendant", "apres", "avant", "lors", "selon", "ce", "cet", "cette", "ces", "qui",
        "que", "quoi", "dont", "ou", "il", "ils", "elle", "elles", "on", "nous", "vous", "je", "se", "sa",
        "son", "ses", "leur", "leurs", "lui", "y", "est", "sont", "ete", "etait", "etaient", "etre", "a", "ont",
        "avait", "avaient", "avoir", "fait", "ne", "pas", "plus", "moins", "tres", "aussi", "ainsi", "comme",
        "tout", "tous", "toute", "toutes", "deux", "trois", "dit", "indique", "annonce", "lundi", "mardi",
        "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "m", "mme",
    ]

    /// Whether a folded word is an English or French function word.
    public static func contains(_ folded: String) -> Bool {
        both.contains(folded)
    }

    /// One lookup (one hash) instead of two: most words are in neither list.
    private static let both = english.union(french)
}

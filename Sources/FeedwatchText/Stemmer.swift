/// A light, conservative stemmer for folded English and French words.
///
/// It only removes inflections that would otherwise split one concept into several terms:
/// plurals, English `-ing`/`-ed`/`-ment`/final `-e`, French `-ement(s)`, `-aux`, and the feminine
/// `-ée`. Words of three letters or fewer and words with digits are returned unchanged.
/// Dedup and classification must stem both sides with the same language for terms to meet.
public enum Stemmer {
    /// Stems a folded word (see `TextNormalizer.fold`). `language` is a BCP 47 tag or prefix
    /// (`en`, `fr-FR`); nil or any other language gets plural stripping only.
    public static func stem(_ word: String, language: String?) -> String {
        let utf8 = word.utf8
        // Every rule removes a suffix ending in one of these letters; skip the rest without copying.
        guard utf8.count > 3, let last = utf8.last,
              last == 0x73 || last == 0x78 || last == 0x64 || last == 0x67 || last == 0x74 || last == 0x65 else {
            return word
        }
        var w = Array(utf8)
        guard w.count > 3, w.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A || $0 >= 0x80 }) else { return word }
        switch Stemmer.family(language) {
        case .english: english(&w)
        case .french: french(&w)
        case .other: plural(&w)
        }
        return String(decoding: w, as: UTF8.self)
    }

    enum Family { case english, french, other }

    static func family(_ language: String?) -> Family {
        guard let l = language?.utf8, l.count >= 2 else { return .other }
        let a = l.first! | 0x20, b = l[l.index(after: l.startIndex)] | 0x20
        if a == 0x65 && b == 0x6E { return .english }
        if a == 0x66 && b == 0x72 { return .french }
        return .other
    }

    private static func ends(_ w: [UInt8], _ suffix: StaticString) -> Bool {
        let n = suffix.utf8CodeUnitCount
        guard w.count >= n else { return false }
        let p = suffix.utf8Start
        for k in 0..<n where w[w.count - n + k] != p[k] { return false }
        return true
    }

    private static func isVowel(_ b: UInt8) -> Bool {
        b == 0x61 || b == 0x65 || b == 0x69 || b == 0x6F || b == 0x75 || b == 0x79
    }

    /// Plain plural -s (not -ss, -us, -is) — shared by every language.
    private static func plural(_ w: inout [UInt8]) {
        if ends(w, "s"), !ends(w, "ss"), !ends(w, "us"), !ends(w, "is"), w.count > 3 { w.removeLast() }
    }

    private static func english(_ w: inout [UInt8]) {
        if ends(w, "sses") { w.removeLast(2) }
        else if ends(w, "ies"), w.count > 4 { w.removeLast(3); w.append(0x79) }
        else { plural(&w) }
        var removedVerbal = false
        if ends(w, "ing"), w.count >= 6, w[..<(w.count - 3)].contains(where: isVowel) {
            w.removeLast(3); removedVerbal = true
        } else if ends(w, "ed"), w.count >= 5, w[..<(w.count - 2)].contains(where: isVowel) {
            w.removeLast(2); removedVerbal = true
        } else if ends(w, "ment"), w.count >= 8 {
            w.removeLast(4)
        }
        if removedVerbal, w.count >= 3 {
            let last = w[w.count - 1]
            // kidnapped → kidnap, but killed → kill (Porter's l/s/z exception).
            if last == w[w.count - 2], !isVowel(last), last != 0x6C, last != 0x73, last != 0x7A { w.removeLast() }
        }
        if ends(w, "e"), w.count > 4 { w.removeLast() }
    }

    private static func french(_ w: inout [UInt8]) {
        if ends(w, "aux"), w.count > 5 { w.removeLast(3); w.append(contentsOf: [0x61, 0x6C]) }  // généraux → general
        else if (ends(w, "s") || ends(w, "x")), !ends(w, "ss"), w.count > 3 { w.removeLast() }
        if ends(w, "ement"), w.count >= 8 { w.removeLast(4) }       // enlèvement → enleve (= enlevé)
        if ends(w, "ee"), w.count >= 4 { w.removeLast() }            // armée → arme, tuée → tue
    }
}

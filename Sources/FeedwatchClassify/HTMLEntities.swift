/// Named HTML entities for matching. Accented letters only need their base letter (matching
/// folds diacritics away), so `&eacute;` and `&Egrave;` are read by rule, not from a table.
enum HTMLEntities {
    static func scalar(named name: String) -> Unicode.Scalar? {
        if let s = table[name] { return s }
        for suffix in accents where name.count == suffix.count + 1 && name.hasSuffix(suffix) {
            return name.unicodeScalars.first
        }
        return nil
    }

    private static let accents = ["acute", "grave", "circ", "uml", "tilde", "ring", "cedil", "slash", "caron"]

    private static let table: [String: Unicode.Scalar] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ",
        "rsquo": "\u{2019}", "lsquo": "\u{2018}", "sbquo": " ", "ldquo": "\"", "rdquo": "\"", "bdquo": "\"",
        "laquo": "\u{00AB}", "raquo": "\u{00BB}", "hellip": " ", "ndash": "-", "mdash": "-", "minus": "-",
        "shy": "\u{00AD}", "thinsp": " ", "ensp": " ", "emsp": " ", "zwnj": " ", "zwj": " ",
        "aelig": "\u{00E6}", "AElig": "\u{00C6}", "oelig": "\u{0153}", "OElig": "\u{0152}", "szlig": "\u{00DF}",
        "eth": "\u{00F0}", "thorn": "\u{00FE}", "copy": " ", "reg": " ", "trade": " ", "deg": " ",
        "middot": " ", "bull": " ", "euro": " ", "pound": " ", "times": " ",
    ]
}

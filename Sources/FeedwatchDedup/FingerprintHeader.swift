/// The fixed-size part of a fingerprint: its hashes, and where its lists sit in a value array
/// (the fingerprint's own, or the index's one shared array). 32 bytes, no references: the index
/// keeps one per story in a flat array (its snapshot writes them field by field, `encodedSize` each).
struct FingerprintHeader: Sendable, Equatable {
    /// Stable hash of the story id.
    var idHash: UInt64
    /// Stable hash of the link's identity (`LinkCanonicalizer.identity`) without its scheme; 0 when the story has no link.
    var linkHash: UInt64
    /// Index of the first value (keys, then names, initial names, words, title names, facts).
    var offset: UInt32 = 0
    var keyCount: UInt8 = 0
    var nameCount: UInt8 = 0
    var initialCount: UInt8 = 0
    var wordCount: UInt8 = 0
    var titleNameCount: UInt8 = 0
    var factCount: UInt8 = 0
    /// How many keys start within the lead.
    var lead: UInt8 = 0
    /// Detected language as two ASCII letters, 0 when unknown.
    var languageCode: UInt16 = 0
    /// Headline words (0 for stories indexed before headlines were kept: the short-item rules
    /// then stay silent rather than read "no headline").
    var titleWordCount: UInt8 = 0
    /// Opening shingles of the body (0: no text beside the headline).
    var openingCount: UInt8 = 0

    /// Bytes per header in a snapshot (version 5; version 4 wrote 29, without the last two counts).
    static let encodedSize = 31
    static let encodedSizeV4 = 29

    /// Values the lists hold together.
    var length: Int {
        Int(keyCount) + Int(nameCount) + Int(initialCount) + Int(wordCount) + Int(titleNameCount) + Int(factCount)
            + Int(titleWordCount) + Int(openingCount)
    }

    static func languageCode(_ language: String?) -> UInt16 {
        let l = Array((language ?? "").utf8)
        return l.count == 2 ? UInt16(l[0]) << 8 | UInt16(l[1]) : 0
    }

    var language: String? {
        languageCode == 0 ? nil : String(decoding: [UInt8(languageCode >> 8), UInt8(languageCode & 0xFF)], as: UTF8.self)
    }
}

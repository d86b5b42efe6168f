/// A fingerprint read in place: its header and a pointer to its values, in a fingerprint's own
/// array or in the index's shared one. Comparisons run on views, so checking a candidate copies
/// nothing. Valid only inside the `withUnsafeBufferPointer` that produced `values`.
struct FingerprintView {
    let header: FingerprintHeader
    /// This fingerprint's values only (`header.length` of them).
    let values: UnsafeBufferPointer<UInt32>

    init(header: FingerprintHeader, in all: UnsafeBufferPointer<UInt32>) {
        self.header = header
        let start = Int(header.offset)
        values = UnsafeBufferPointer(rebasing: all[start..<(start + header.length)])
    }

    @inline(__always) private func part(_ start: Int, _ count: UInt8) -> UnsafeBufferPointer<UInt32> {
        UnsafeBufferPointer(rebasing: values[start..<(start + Int(count))])
    }

    /// Sampled shingle keys in text order, distinct.
    var keys: UnsafeBufferPointer<UInt32> { part(0, header.keyCount) }
    /// How many of `keys` start within the lead.
    var leadCount: Int { Int(header.lead) }
    /// Capitalised names of title and lead, sorted.
    var names: UnsafeBufferPointer<UInt32> { part(Int(header.keyCount), header.nameCount) }
    /// Sentence-initial capitalised words of title and lead that may be names, sorted.
    var initialNames: UnsafeBufferPointer<UInt32> {
        part(Int(header.keyCount) + Int(header.nameCount), header.initialCount)
    }
    /// Stemmed content words of title and lead, sorted.
    var words: UnsafeBufferPointer<UInt32> {
        part(Int(header.keyCount) + Int(header.nameCount) + Int(header.initialCount), header.wordCount)
    }
    /// The confirmed names and capitals the title carries, sorted.
    var titleNames: UnsafeBufferPointer<UInt32> {
        part(Int(header.keyCount) + Int(header.nameCount) + Int(header.initialCount) + Int(header.wordCount),
             header.titleNameCount)
    }
    /// Weekdays (1...14, see `Fingerprint.facts`), then numbers (tolls) of the title and the body's
    /// first sentence, sorted.
    var facts: UnsafeBufferPointer<UInt32> { part(factStart, header.factCount) }
    private var factStart: Int {
        Int(header.keyCount) + Int(header.nameCount) + Int(header.initialCount) + Int(header.wordCount)
            + Int(header.titleNameCount)
    }
    /// The headline's words, in order (at most `Fingerprint.maxTitleWords`).
    var titleWords: UnsafeBufferPointer<UInt32> { part(factStart + Int(header.factCount), header.titleWordCount) }
    /// Word 3-shingles of the body's opening, in order, every one (`Fingerprint.openingWords`
    /// words): what a truncated or lightly edited summary keeps of its original.
    var opening: UnsafeBufferPointer<UInt32> {
        part(factStart + Int(header.factCount) + Int(header.titleWordCount), header.openingCount)
    }
    var languageCode: UInt16 { header.languageCode }

    /// Keys for what sets one event's reports apart from other events written in the same mould:
    /// each of the first two tolls with the day the first sentence reports, and with the first two
    /// places of the title. Each slot of a wire template (toll, day, town, attacker, target) is
    /// shared by many events, so the shingles that sample it are formulaic; the pair is not.
    ///
    /// Also the headline's first and last four words (two keys): a copy that edits a headline
    /// lightly keeps one of them, and a bare headline has nothing else in common with its
    /// original's summary.
    func forEachEventKey(_ body: (UInt32) -> Void) {
        let title = titleWords
        if title.count >= 4 {
            var head: UInt64 = 0x4EAD, tail: UInt64 = 0x7A11
            for w in title.prefix(4) { head = StableHash.mix(head ^ UInt64(w)) }
            for w in title.suffix(4) { tail = StableHash.mix(tail ^ UInt64(w)) }
            body(StableHash.key(head))
            body(StableHash.key(tail))
        }
        let numbers = Similarity.numbers(facts)
        for n in numbers.prefix(2) {
            let toll = UInt64(n) << 32
            for day in facts where day <= Fingerprint.lastWeekday {
                body(StableHash.key(StableHash.mix(toll | UInt64(day))))
            }
            for place in titleNames.prefix(2) {
                body(StableHash.key(StableHash.mix(toll ^ UInt64(place) ^ 0x5EED_0000_0000)))
            }
        }
    }
}

import Foundation

/// Tuning of `Deduplicator`. The defaults were chosen on the labelled development set in
/// `Tests/DevSet/dedup` (172 stories, 37 texts, 333 duplicate pairs; see
/// `DedupQualityTests`). Measured there, per story pair:
/// - duplicate pairs: containment ≥ 0.63 and lead containment ≥ 0.59 at the 1st percentile (the
///   minimum, 0.43, is a rewritten-lead update against a one-paragraph extract; such pairs still
///   meet through the original they both copy);
/// - distinct dispatches: containment ≤ 0.41 (two stories sharing a background paragraph, whose
///   lead containment is then 0.11) and lead containment ≤ 0.20.
/// Both thresholds at 0.5 sit in those gaps: pairwise precision and recall 1.000 on the set.
/// The lead is the first 30 words (the lede sentence): with 60, templated wire reports of
/// different attacks (gen-farm's Sahel stories: one mould, one background paragraph, another
/// town and toll) met the lead threshold through the background. Those are also kept apart by
/// `Similarity.distinct` (headlines naming different places, different tolls) and
/// `Similarity.differentDays` (ledes reporting different days).
/// At farm scale (`feedwatch-bench farm-dedup`: a cold pass, feeds in random order, the index
/// bounded) every phrase of the mould is shared by more stories than a shingle key keeps; the
/// event keys (a toll with its day or headline place) find the original instead. One alert per
/// event: 1,000 feeds, 50 alerts for 50 events; 2,000 feeds, 98 for 98; 10,000 feeds (350,120
/// entries, 500 events, 499 with a report in the catch-up window), 490 alerts, no event alerted
/// twice, 9 never (491 and 8 when every entry is indexed, not only those matching a topic): each
/// of those shares town, toll and day with another event of the farm and is merged with it (only
/// the attacker or target differs, in a lede otherwise word for word the same).
/// The event-clustering rules (names and title/lead words, below) give pairwise precision 1.000
/// and recall 0.957 on the set's 33 labelled events; the misses are a follow-up report sharing
/// only one place name with the first dispatch, which the rules deliberately do not join.
///
/// Short items (a headline alone, or a headline and one sentence: most of what real feeds send)
/// have too few shingles for the sampled containment above, so each fingerprint also keeps its
/// headline's words and every word 3-shingle of its first 24 body words (`Similarity.shortCopy`):
/// - a bare headline copies an earlier story whose headline it repeats up to case, punctuation
///   and light edits (`headlineSimilarity`, Dice of the words ≥ 0.8: about one word in five
///   changed at most);
/// - the same headline word for word copies when one side is bare or the summaries are the same,
///   truncated or lightly edited (`summaryOverlap`: 30% of the shorter opening's 3-shingles in
///   the other); under it each outlet wrote its own summary, and the two are one story;
/// - a rewritten headline over the same opening (`openingContainment`: 60% of the shorter
///   opening's 3-shingles, at least `minOpening` of them) copies;
/// - another toll (numbers now include "20,000", "3.5", "10th"), another day, or a place or actor
///   each story names and the other lacks, keeps them apart; a bare copy must follow within
///   `clusterWindow` (a headline recurring days later is a column, not a copy); a bare headline
///   stands for the text it copied, or the first text that copied it (`Deduplicator.shortCopy`).
/// Measured on `../shared/eval/dedup-real.jsonl` (544 real items of ~40 outlets, labelled by
/// hand; `scripts/dedup-buckets`): duplicate pairs F1 0.985 (P 0.994, R 0.976), stories B-cubed
/// 0.983, against 0.789 and 0.949 before these rules; by bucket (pairs counted under their
/// shorter item) headline-only F1 0.995, headline + one sentence 0.979, longer 0.984. The
/// thresholds are round values, not fitted to that set: under one headline, copies there mostly
/// share a third or more of the shorter opening's 3-shingles and own summaries a quarter at
/// most (two copies of one publisher's edited summary fall below and are missed). The
/// development set's figures and the farm's are unchanged by them (1,000 and 3,000 feeds: every
/// event alerted once; 10,000 feeds: 490 alerts, none twice, 9 never, as above). The cost: about
/// 160 bytes more per indexed story (20 headline words, 22 opening shingles, two headline keys);
/// `feedwatch-bench dedup` throughput within the machine's noise.
public struct DedupConfig: Sendable, Equatable {
    /// Stories older than this (relative to the latest `expire(before:)`) are forgotten.
    public var window: TimeInterval
    /// Reports of one event are grouped only when published within this interval.
    public var clusterWindow: TimeInterval
    /// Near duplicate when this share of the smaller story's sampled shingles occurs in the other.
    public var containment: Double
    /// …and this share of the smaller story's *lead* shingles (its first `leadTokens` words) occurs
    /// in the other: stops two dispatches that share only a background paragraph from merging.
    public var leadContainment: Double
    /// Fewest shared sampled shingles for a near duplicate (guards very short texts).
    public var minSharedShingles: Int
    /// Words that count as the lead.
    public var leadTokens: Int
    /// Event clustering: least Jaccard similarity of title+lead content words, with at least
    /// `clusterMinSharedNames` shared capitalised names (places, actors).
    public var clusterSimilarity: Double
    /// Event clustering: least number of shared capitalised names.
    public var clusterMinSharedNames: Int
    /// Event clustering: Jaccard similarity that is enough with a single shared name.
    public var clusterStrongSimilarity: Double

    /// Event clustering across languages (English and French reports of one attack): shared
    /// capitalised names needed, as title/lead words cannot be compared.
    public var clusterCrossLanguageNames: Int

    /// Event clustering: shared capitalised names that are enough on their own (three specific
    /// names — a village, a group, a commander — rarely coincide in unrelated reports).
    public var clusterNamesAlone: Int

    /// Short items: two headlines are the same when this share of their words (Dice) is shared…
    public var headlineSimilarity: Double
    /// …and each has at least this many words (shorter ones — "Morning briefing" — recur).
    public var minHeadlineWords: Int
    /// Short items, same headline: a copy when this share of the shorter summary opening's
    /// 3-shingles occurs in the other's (same, truncated or lightly edited); below it each outlet
    /// wrote its own summary, and the two are reports of one story.
    public var summaryOverlap: Double
    /// Short items, rewritten headline: a copy when this share of the shorter opening's 3-shingles
    /// occurs in the other's…
    public var openingContainment: Double
    /// …and both openings hold at least this many shingles (eight words).
    public var minOpening: Int

    public init(window: TimeInterval = 7 * 86_400, clusterWindow: TimeInterval = 2 * 86_400,
                containment: Double = 0.5, leadContainment: Double = 0.5, minSharedShingles: Int = 3,
                leadTokens: Int = 30, clusterSimilarity: Double = 0.2, clusterMinSharedNames: Int = 2,
                clusterStrongSimilarity: Double = 0.4, clusterCrossLanguageNames: Int = 2, clusterNamesAlone: Int = 3,
                headlineSimilarity: Double = 0.8, minHeadlineWords: Int = 4, summaryOverlap: Double = 0.3,
                openingContainment: Double = 0.6, minOpening: Int = 6) {
        self.headlineSimilarity = headlineSimilarity
        self.minHeadlineWords = minHeadlineWords
        self.summaryOverlap = summaryOverlap
        self.openingContainment = openingContainment
        self.minOpening = minOpening
        self.window = window
        self.clusterWindow = clusterWindow
        self.containment = containment
        self.leadContainment = leadContainment
        self.minSharedShingles = minSharedShingles
        self.leadTokens = leadTokens
        self.clusterSimilarity = clusterSimilarity
        self.clusterMinSharedNames = clusterMinSharedNames
        self.clusterStrongSimilarity = clusterStrongSimilarity
        self.clusterCrossLanguageNames = clusterCrossLanguageNames
        self.clusterNamesAlone = clusterNamesAlone
    }
}

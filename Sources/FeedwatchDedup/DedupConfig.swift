import Foundation

/// Tuning of `Deduplicator`. The defaults were chosen on the labelled development set in
/// `Tests/FeedwatchStoriesTests/DevSet/dedup` (see `DedupQualityTests` and the sweep it prints).
public struct DedupConfig: Sendable, Equatable {
    /// Stories older than this (relative to the latest `expire(before:)`) are forgotten.
    public var window: TimeInterval
    /// Reports of one event are grouped only when published within this interval.
    public var clusterWindow: TimeInterval
    /// Near duplicate when this share of the smaller story's sampled shingles occurs in the other.
    /// Measured: republications score 0.62–1.0; distinct dispatches on the same region ≤ 0.35.
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

    public init(window: TimeInterval = 7 * 86_400, clusterWindow: TimeInterval = 3 * 86_400,
                containment: Double = 0.5, leadContainment: Double = 0.5, minSharedShingles: Int = 3,
                leadTokens: Int = 60, clusterSimilarity: Double = 0.2, clusterMinSharedNames: Int = 2,
                clusterStrongSimilarity: Double = 0.4) {
        self.window = window
        self.clusterWindow = clusterWindow
        self.containment = containment
        self.leadContainment = leadContainment
        self.minSharedShingles = minSharedShingles
        self.leadTokens = leadTokens
        self.clusterSimilarity = clusterSimilarity
        self.clusterMinSharedNames = clusterMinSharedNames
        self.clusterStrongSimilarity = clusterStrongSimilarity
    }
}

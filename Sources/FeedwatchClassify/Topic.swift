/// One watched topic: weighted terms summed against a threshold, gated by boolean rules.
///
/// A story matches when `require` holds (if given), `exclude` does not, and the score
/// (Σ weight × field boost over matched terms) reaches `threshold`.
public struct Topic: Sendable, Equatable {
    public var name: String
    public var description: String?
    public var threshold: Double
    /// A lower threshold for stories with little text, or nil (one threshold for all).
    public var shortText: ShortText?
    public var boosts: FieldBoosts
    public var terms: [WeightedTerm]
    public var require: Condition?
    public var exclude: Condition?
    public var location: SourceLocation

    public init(name: String, description: String? = nil, threshold: Double, boosts: FieldBoosts = FieldBoosts(),
                terms: [WeightedTerm], require: Condition? = nil, exclude: Condition? = nil,
                location: SourceLocation, shortText: ShortText? = nil) {
        self.shortText = shortText
        self.name = name
        self.description = description
        self.threshold = threshold
        self.boosts = boosts
        self.terms = terms
        self.require = require
        self.exclude = exclude
        self.location = location
    }
}

/// Which alerts one sink takes. Every filter left empty takes everything; a sink takes an
/// alert only if every filter given accepts it. Checked once per (alert, sink) when the alert
/// is queued, so an alert reaches each sink at most once however many filters it satisfies.
public struct AlertRoute: Sendable, Equatable {
    /// What a sink can take. `sourceHealth` is the `source-health` alert about a failing feed.
    public enum Kind: String, Sendable, CaseIterable { case alert, update, digest, sourceHealth = "source-health" }

    /// The topic every source-health alert carries.
    public static let sourceHealthTopic = "source-health"

    public var topics: Set<String>
    public var minScore: Double?
    /// Source tags: the alert's source must carry at least one.
    public var tags: Set<String>
    /// Story languages (as detected or configured); a story of unknown language passes.
    public var languages: Set<String>
    public var kinds: Set<Kind>

    public init(topics: Set<String> = [], minScore: Double? = nil, tags: Set<String> = [], languages: Set<String> = [],
                kinds: Set<Kind> = Set(Kind.allCases)) {
        self.topics = topics
        self.minScore = minScore
        self.tags = tags
        self.languages = languages
        self.kinds = kinds.isEmpty ? Set(Kind.allCases) : kinds
    }

    /// The route kind of an alert.
    public static func kind(of alert: Alert) -> Kind {
        switch alert.kind {
        case .update: return .update
        case .digest: return .digest
        case .alert: return alert.topic == sourceHealthTopic ? .sourceHealth : .alert
        }
    }

    /// True when this sink takes `alert`, raised from a source tagged `sourceTags` about a story
    /// in `language`. Topic, score and language filters do not apply to source-health alerts: they
    /// are about a feed, not a story.
    public func takes(_ alert: Alert, sourceTags: [String], language: String?) -> Bool {
        let kind = Self.kind(of: alert)
        guard kinds.contains(kind) else { return false }
        if !tags.isEmpty && !sourceTags.contains(where: tags.contains) { return false }
        if kind == .sourceHealth { return true }
        if !topics.isEmpty && !topics.contains(alert.topic) { return false }
        if let minScore, alert.score < minScore { return false }
        if !languages.isEmpty, let language, !languages.contains(Self.primary(language)) { return false }
        return true
    }

    /// `fr-FR` → `fr`: routes name languages, detection may add a region.
    static func primary(_ tag: String) -> String {
        String(tag.lowercased().prefix { $0 != "-" && $0 != "_" })
    }

    /// True when nothing is filtered.
    public var takesAll: Bool {
        topics.isEmpty && minScore == nil && tags.isEmpty && languages.isEmpty && kinds.count == Kind.allCases.count
    }
}

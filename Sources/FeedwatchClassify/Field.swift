/// Where in a story a term occurred. The lead is the opening words of the body: wire copy puts
/// what a story is mainly about there, so it can weigh more than the rest of the body.
public enum Field: String, Sendable, Equatable, Hashable, CaseIterable, Codable {
    case title
    case lead
    case body
}

/// How much an occurrence counts in each field, and how many body words form the lead.
public struct FieldBoosts: Sendable, Equatable {
    public var title: Double
    public var lead: Double
    public var body: Double
    /// Body words (from the start) that count as the lead.
    public var leadWords: Int

    public init(title: Double = 2, lead: Double = 1.5, body: Double = 1, leadWords: Int = 50) {
        self.title = title
        self.lead = lead
        self.body = body
        self.leadWords = leadWords
    }

    public subscript(field: Field) -> Double {
        switch field {
        case .title: title
        case .lead: lead
        case .body: body
        }
    }
}

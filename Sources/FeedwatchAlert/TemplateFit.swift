/// How a rendered message is fitted to its channel's limit. The template is rendered again with
/// fewer outlet lines (the rest counted in `more`) and then a shorter headline until it fits, so
/// the link is never cut: the same rule as `TextBudget`, and the same bytes for the same layout.
public struct TemplateFit: Sendable {
    public enum Shortened: Sendable { case headline, context }

    /// Nil: no limit (a webhook payload).
    public var limit: Int?
    public var measure: @Sendable (String) -> Int
    /// Which part gives way when even no outlet lines are not enough.
    public var shortened: Shortened
    /// The headline's length at most, whatever the room (ntfy titles, Teams cards).
    public var headlineCap: Int?

    public init(limit: Int?, measure: @escaping @Sendable (String) -> Int = { $0.utf16.count },
                shortened: Shortened = .headline, headlineCap: Int? = nil) {
        self.limit = limit
        self.measure = measure
        self.shortened = shortened
        self.headlineCap = headlineCap
    }

    public static let unlimited = TemplateFit(limit: nil)
}

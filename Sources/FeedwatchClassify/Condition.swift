/// A boolean rule over terms: `all:`, `any:` and `none:` groups, nestable, optionally limited
/// to some fields (`in: [title, lead]`).
public indirect enum Condition: Sendable, Equatable {
    /// True when the term occurs in one of `fields` (nil: anywhere).
    case term(Term, fields: Set<Field>?)
    case allOf([Condition])
    case anyOf([Condition])
    case noneOf([Condition])
}

import Mustache

/// A string as a template sees it: rendered with the template's escaping, and the helpers
/// `json(x)`, `html(x)`, `markdown(x)`, `slack(x)`, `upper(x)`, `lower(x)` and `truncateN(x)`
/// (the first N characters, "…" when that cut something). Helpers nest: `json(truncate80(title))`.
struct TemplateValue: MustacheCustomRenderable, MustacheTransformable, MustacheParent {
    let text: String

    init(_ text: String) { self.text = text }

    var renderText: String { text }
    var isNull: Bool { false }

    /// Nothing below a string: a name inside `{{#title}}…{{/title}}` is looked up further out.
    func child(named: String) -> Any? { nil }

    func transform(_ name: String) -> Any? {
        switch name {
        case "json": return TemplateValue(TemplateEscape.json(text))
        case "html": return TemplateValue(TemplateEscape.html(text))
        case "markdown": return TemplateValue(TemplateEscape.markdown(text))
        case "slack": return TemplateValue(TemplateEscape.slack(text))
        case "upper", "uppercased": return TemplateValue(text.uppercased())
        case "lower", "lowercased": return TemplateValue(text.lowercased())
        case "empty": return text.isEmpty
        default:
            if let n = Self.truncation(name) { return TemplateValue(TextBudget.prefix(text, n)) }
            return nil
        }
    }

    /// `truncate80` → 80.
    static func truncation(_ name: String) -> Int? {
        guard name.hasPrefix("truncate"), let n = Int(name.dropFirst("truncate".count)), n >= 0 else { return nil }
        return n
    }

    /// Helper names a template may apply to a string (for the unknown-helper check).
    static func isHelper(_ name: String) -> Bool {
        ["json", "html", "markdown", "slack", "upper", "uppercased", "lower", "lowercased", "empty"].contains(name)
            || truncation(name) != nil
    }
}

/// A field the alert does not have (no link, no title for an outlet): renders nothing, is false in
/// a section, and, unlike a missing key, stops the lookup, so an outlet without a title never
/// shows the alert's title in its place.
struct TemplateNull: MustacheCustomRenderable, MustacheParent {
    var renderText: String { "" }
    var isNull: Bool { true }
    func child(named: String) -> Any? { nil }
}

import Mustache

/// One level of names: the alert at the root, an outlet line or report or digest item below.
/// The root records every name nobody could resolve, which is how an unknown variable is found
/// (Mustache itself renders it as nothing).
final class TemplateScope: MustacheParent {
    private let values: [String: Any]
    private let misses: TemplateMisses?

    init(_ values: [String: Any?], recordingMissesIn misses: TemplateMisses? = nil) {
        self.values = values.mapValues { v -> Any in
            switch v {
            case nil: return TemplateNull()
            case let s as String: return s.isEmpty ? TemplateNull() : TemplateValue(s)
            case let v?: return v
            }
        }
        self.misses = misses
    }

    func child(named name: String) -> Any? {
        if let v = values[name] { return v }
        misses?.names.append(name)
        return nil
    }
}

/// Names looked up in vain during one render.
final class TemplateMisses {
    var names: [String] = []
}

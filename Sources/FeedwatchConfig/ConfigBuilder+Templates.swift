import Foundation
import Yams

extension ConfigBuilder {
    /// The template keys a sink type takes.
    static func templateKeys(_ type: String) -> Set<String> {
        switch type {
        case "ntfy": ["template", "body_template", "subject_template"]
        case "matrix": ["template", "text_template"]
        case "email": ["template", "body_template", "subject_template", "text_template"]
        case "file": []
        default: ["template"]
        }
    }

    /// The sink's template files, resolved against the config's folder and checked readable now
    /// (their content is checked when the sink is built, and by `feedwatch check`).
    func templateFiles(_ m: [String: (key: Node, value: Node)], node: Node) -> TemplateFiles {
        var files = TemplateFiles()
        if m["template"] != nil, m["body_template"] != nil {
            reader.error(node, "give only one of template, body_template")
        }
        for key in ["template", "body_template", "subject_template", "text_template"] {
            guard let v = m[key]?.value, let written = reader.string(v, what: key) else { continue }
            let file = path(written)
            // Commands that read no secrets (status, tail) need no templates either.
            guard !resolveSecrets || FileManager.default.isReadableFile(atPath: file) else {
                reader.error(v, "cannot read \(key) \(file) (\(Config.reason(file)))")
                continue
            }
            switch key {
            case "subject_template": files.subject = file
            case "text_template": files.text = file
            default: files.body = file
            }
        }
        return files
    }
}

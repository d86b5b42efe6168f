import CYaml

/// A first pass over watchlist YAML with libyaml's event parser (a loop, no recursion, no
/// tree), before Yams builds its tree: Yams composes recursively and shares an aliased node
/// wherever it is referred to, so 100,000 nested lists overflow its stack and ten nested
/// aliases stand for a billion terms once the loader walks them.
enum YAMLShape {
    /// Lists and mappings nest this deep at most (the shipped watchlist: 7).
    static let maxDepth = 64
    /// Nodes (scalars, lists, mappings) a watchlist may hold (the shipped one: about 2,000).
    static let maxNodes = 200_000

    /// The first reason `yaml` is refused, where it is written; nil when its shape is fine or
    /// when libyaml finds a syntax error, which Yams then reports in its own words.
    static func problem(_ yaml: String, file: String) -> Diagnostic? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        var bytes = Array(yaml.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer -> Diagnostic? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var depth = 0
            var nodes = 0
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                let at = SourceLocation(file: file, line: Int(event.start_mark.line) + 1,
                                        column: Int(event.start_mark.column) + 1)
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return nil
                case YAML_ALIAS_EVENT:
                    return Diagnostic(at, "YAML aliases (*name) are not allowed in a watchlist: write the terms "
                                      + "out, or put them in a set and refer to it as @name")
                case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                    depth += 1
                    nodes += 1
                    if depth > maxDepth { return Diagnostic(at, "YAML nests deeper than \(maxDepth) levels") }
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    depth -= 1
                case YAML_SCALAR_EVENT:
                    nodes += 1
                default:
                    break
                }
                if nodes > maxNodes { return Diagnostic(at, "the watchlist holds more than \(maxNodes) YAML nodes") }
            }
        }
    }
}

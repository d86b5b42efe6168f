import FeedwatchAlert
import FeedwatchConfig
import Foundation

/// Reads and parses the template files a sink's config names, with the escaping of that sink type.
public enum SinkTemplateLoader {
    /// The sink's templates; a file that does not parse (or names an unknown variable) is the sink's
    /// config error, `alert: <sink>: template <file>:<line>:<column>: <message>`.
    public static func load(_ sink: SinkConfig) throws(AlertError) -> SinkTemplates {
        var out = SinkTemplates()
        for (part, file) in parts(sink.templates) {
            do {
                out[part] = try AlertTemplate(path: file, escaping: SinkTemplates.escaping(sinkType: sink.type, part: part))
            } catch {
                throw AlertError(kind: .config, sink: sink.name, message: "template \(error)")
            }
        }
        return out
    }

    /// `feedwatch check`: every template of every sink parsed and rendered against the sample alerts;
    /// one line per problem, `file:line:column: message (sink NAME)`.
    public static func problems(_ config: Config) -> [String] {
        var out: [String] = []
        for sink in config.sinks {
            for (part, file) in parts(sink.templates) {
                do {
                    let t = try AlertTemplate(path: file, escaping: SinkTemplates.escaping(sinkType: sink.type, part: part))
                    if let e = TemplateCheck.check(t, sink: sink.name) { out.append("\(e) (sink \(sink.name))") }
                } catch {
                    out.append("\(error) (sink \(sink.name))")
                }
            }
        }
        return out
    }

    /// How many template files the config names.
    public static func count(_ config: Config) -> Int {
        config.sinks.reduce(0) { $0 + parts($1.templates).count }
    }

    private static func parts(_ f: TemplateFiles) -> [(SinkTemplates.Part, String)] {
        [(.body, f.body), (.subject, f.subject), (.text, f.text)].compactMap { p, file in file.map { (p, $0) } }
    }
}

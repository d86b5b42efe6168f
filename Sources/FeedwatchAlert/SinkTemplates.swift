import FeedwatchModel
import Foundation

/// The templates a sink was configured with; a sink without one builds its message in code (the
/// shipped `Config/templates/` files render the same bytes, and are there to copy and edit).
public struct SinkTemplates: Sendable {
    public enum Part: String, Sendable, CaseIterable {
        /// `template` (`body_template`): the message, or a JSON channel's whole payload.
        case body
        /// `subject_template`: a channel's title line (ntfy, an e-mail's Subject).
        case subject
        /// `text_template`: the plain-text twin of an HTML message (Matrix's `body`, an e-mail's
        /// text part).
        case text
    }

    public var body: AlertTemplate?
    public var subject: AlertTemplate?
    public var text: AlertTemplate?

    public init(body: AlertTemplate? = nil, subject: AlertTemplate? = nil, text: AlertTemplate? = nil) {
        self.body = body
        self.subject = subject
        self.text = text
    }

    public subscript(part: Part) -> AlertTemplate? {
        get {
            switch part {
            case .body: body
            case .subject: subject
            case .text: text
            }
        }
        set {
            switch part {
            case .body: body = newValue
            case .subject: subject = newValue
            case .text: text = newValue
            }
        }
    }

    public var all: [AlertTemplate] { [body, subject, text].compactMap { $0 } }

    /// What `{{x}}` escapes for in each sink type's templates: where the text lands.
    public static func escaping(sinkType: String, part: Part) -> TemplateEscape.ContentType {
        switch (sinkType, part) {
        case ("webhook", _), ("teams", _): .json
        case ("slack", _): .slack
        case ("discord", _): .markdown
        case ("telegram", _), ("matrix", .body), ("email", .body): .html
        default: .text
        }
    }
}

extension AlertTemplate {
    /// Rendered for `sink`, a failure as the sink's permanent error: retrying cannot fix a template,
    /// and the other sinks are not held up by it.
    func message(_ alert: Alert, sink: String, fit: TemplateFit = .unlimited, payload: Data? = nil) throws(AlertError) -> String {
        do { return try render(alert, sink: sink, fit: fit, payload: payload) } catch {
            throw AlertError(kind: .permanent, sink: sink, message: "template \(error)")
        }
    }
}

/// The template files a sink names (absolute paths): `template:` (or `body_template:`) for its
/// message or payload, `subject_template:` for a title (ntfy), `text_template:` for a plain-text
/// twin (Matrix). None: the sink's built-in message.
public struct TemplateFiles: Sendable, Equatable {
    public var body: String?
    public var subject: String?
    public var text: String?

    public init(body: String? = nil, subject: String? = nil, text: String? = nil) {
        self.body = body
        self.subject = subject
        self.text = text
    }

    public var isEmpty: Bool { body == nil && subject == nil && text == nil }
}

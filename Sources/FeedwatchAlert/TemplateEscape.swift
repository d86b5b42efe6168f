import FeedwatchModel
import Foundation
import Mustache

/// The escaping each channel needs, as functions (the template helpers) and as Mustache content
/// types (the default escaping of `{{x}}` in a channel's template; `{{{x}}}` is never escaped).
public enum TemplateEscape {
    /// The inside of a JSON string, escaped as `JSONSerialization` does with unescaped slashes, so a
    /// templated payload matches the one feedwatch builds byte for byte.
    public static func json(_ s: String) -> String { JSONString.escaped(s, style: .shortControls) }

    /// `&`, `<`, `>`, `"`: what Telegram's HTML mode and Matrix's `formatted_body` need.
    public static func html(_ s: String) -> String { ChannelEscape.html(s) }

    /// A backslash before every character Discord's Markdown acts on.
    public static func markdown(_ s: String) -> String { DiscordSink.escape(s) }

    /// Slack's three control characters.
    public static func slack(_ s: String) -> String { SlackSink.escape(s) }

    /// Content type names for `{{%CONTENT_TYPE:NAME}}`, registered once.
    public enum ContentType: String, Sendable {
        case text = "TEXT", json = "JSON", html = "FEEDWATCH_HTML", markdown = "MARKDOWN", slack = "SLACK"
    }

    private struct Escaper: MustacheContentType {
        let escape: @Sendable (String) -> String
        func escapeText(_ text: String) -> String { escape(text) }
    }

    /// Registers the content types with Mustache's (process-wide) table before the first parse.
    static let registered: Bool = {
        MustacheContentTypes.register(Escaper(escape: json), named: ContentType.json.rawValue)
        MustacheContentTypes.register(Escaper(escape: html), named: ContentType.html.rawValue)
        MustacheContentTypes.register(Escaper(escape: markdown), named: ContentType.markdown.rawValue)
        MustacheContentTypes.register(Escaper(escape: slack), named: ContentType.slack.rawValue)
        return true
    }()
}

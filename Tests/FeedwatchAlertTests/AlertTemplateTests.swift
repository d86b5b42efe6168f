@testable import FeedwatchAlert
import FeedwatchHTTP
import FeedwatchModel
import FeedwatchTestSupport
import Foundation
import Testing

/// The shipped `Config/templates/` files: each renders the bytes its channel builds in code, for
/// plain, crowded (truncated), update, digest and link-less alerts and hostile text.
@Suite("Alert templates")
struct AlertTemplateTests {
    static let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Config/templates").path

    static func shipped(_ name: String, _ type: String, _ part: SinkTemplates.Part = .body) throws -> AlertTemplate {
        try AlertTemplate(path: dir + "/" + name, escaping: SinkTemplates.escaping(sinkType: type, part: part))
    }

    /// Alerts that exercise every branch of the built-in messages.
    static var alerts: [Alert] {
        var plain = sampleAlert("plain")
        plain.title = "Mali: *army* camp_attacked near `Mopti` [1] (update) - #2 | >quote & \"quotes\" 'single' <b>"
        var noLink = sampleAlert("nolink")
        noLink.link = nil
        var control = sampleAlert("control")
        control.title = "Tab\there, newline\nthere, bell \u{07}, backslash \\ and slash / and émoji 🚨"
        let crowded = crowdedAlert("crowded", reports: 100, beyond: 40)
        var longHead = crowdedAlert("long", reports: 3)
        longHead.title = String(repeating: "Very long headline about the attack near Gao 🚨 ", count: 120)
        var update = crowdedAlert("upd", reports: 12, beyond: 3)
        update.kind = .update
        update.update = 2
        update.updated = update.alerted.addingTimeInterval(600)
        var digest = AlertDigest.make(topic: "sahel", sink: "s", items: (0..<30).map { sampleAlert("d\($0)") },
                                      now: Date(timeIntervalSince1970: 1_790_000_000))
        digest.items![3].link = nil
        var untitled = crowdedAlert("untitled", reports: 4)
        untitled.reports![2].title = nil
        untitled.reports![3].link = nil
        return [plain, noLink, control, crowded, longHead, update, digest, untitled]
    }

    func json(_ object: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]),
               as: UTF8.self)
    }

    @Test("each shipped template renders the bytes its sink builds without one")
    func shippedTemplatesMatchTheBuiltInMessages() throws {
        let discord = try Self.shipped("discord.mustache", "discord")
        let slack = try Self.shipped("slack.mustache", "slack")
        let telegram = try Self.shipped("telegram.mustache", "telegram")
        let matrixHTML = try Self.shipped("matrix.html.mustache", "matrix")
        let matrixText = try Self.shipped("matrix.text.mustache", "matrix", .text)
        let ntfyTitle = try Self.shipped("ntfy.title.mustache", "ntfy", .subject)
        let ntfyBody = try Self.shipped("ntfy.body.mustache", "ntfy")
        let teams = try Self.shipped("teams.json.mustache", "teams")
        let webhook = try Self.shipped("webhook.json.mustache", "webhook")
        for a in Self.alerts {
            #expect(try discord.render(a, sink: "d", fit: TemplateFit(limit: DiscordSink.limit)) == DiscordSink.content(a), "\(a.id)")
            #expect(try slack.render(a, sink: "s", fit: TemplateFit(limit: SlackSink.limit)) == SlackSink.text(a), "\(a.id)")
            #expect(try telegram.render(a, sink: "t", fit: TemplateFit(limit: TelegramSink.limit)) == TelegramSink.text(a), "\(a.id)")
            #expect(try matrixHTML.render(a, sink: "m", fit: TemplateFit(limit: MatrixSink.limit)) == MatrixSink.html(a), "\(a.id)")
            #expect(try matrixText.render(a, sink: "m", fit: TemplateFit(limit: MatrixSink.limit)) == MatrixSink.plain(a), "\(a.id)")
            #expect(try ntfyTitle.render(a, sink: "n", fit: TemplateFit(limit: nil, headlineCap: 250)) == NtfySink.title(a), "\(a.id)")
            #expect(try ntfyBody.render(a, sink: "n", fit: NtfySink.messageFit) == NtfySink.message(a), "\(a.id)")
            // The built-in card cuts its outlet list at 8,000 characters; a templated card, whose layout
            // feedwatch does not know, is fitted whole to the 28 KB Teams takes: the same bytes below that.
            let card = try teams.render(a, sink: "t", fit: TeamsSink.cardFit), built = try json(TeamsSink.message(a))
            if a.id == "crowded" {
                #expect(card.utf8.count <= 28_000 && card.count > built.count && card.contains(#""url":"\#(a.link!)""#))
            } else {
                #expect(card == built, "\(a.id)")
            }
            let payload = try AlertPayload.encode(a)
            #expect(try webhook.render(a, sink: "w", payload: payload) == String(decoding: payload, as: UTF8.self), "\(a.id)")
        }
    }

    /// E-mail has no length limit; its subject is one line (the built-in one also folds the
    /// title's own line breaks and tabs, which the template leaves to the sink).
    @Test("the shipped e-mail templates render the parts the e-mail sink builds without them")
    func shippedEmailTemplatesMatchTheBuiltInMessage() throws {
        let subject = try Self.shipped("email.subject.mustache", "email", .subject)
        let text = try Self.shipped("email.text.mustache", "email", .text)
        let html = try Self.shipped("email.html.mustache", "email")
        for a in Self.alerts where a.id != "control" {
            #expect(try subject.render(a, sink: "e") == EmailSink.subject(a), "\(a.id)")
            #expect(try text.render(a, sink: "e") == EmailSink.text(a), "\(a.id)")
            #expect(try html.render(a, sink: "e") == EmailSink.html(a), "\(a.id)")
        }
    }

    @Test("an e-mail sink's templates make its Subject, text and HTML; a failing one fails that delivery only")
    func emailSinkUsesItsTemplates() throws {
        let conf = EmailSink.Configuration(url: "smtp://127.0.0.1:1", from: EmailAddress(address: "a@example.org"),
                                           to: [EmailAddress(address: "b@example.org")], cc: [], user: nil,
                                           password: nil, caFile: nil, timeout: 5)
        var sink = EmailSink(name: "mail", configuration: conf, transport: CurlSMTPTransport())
        sink.templates = SinkTemplates(
            body: try AlertTemplate(text: "<b>{{title}}</b>", file: "h.mustache", escaping: .html),
            subject: try AlertTemplate(text: "ALERT\n{{topic}}:   {{title}}\n", file: "s.mustache", escaping: .text),
            text: try AlertTemplate(text: "{{outlet_count}} outlets", file: "t.mustache", escaping: .text))
        var a = sampleAlert("tpl")
        a.title = "Attack <near> Gao"
        let m = try sink.message(for: a)
        #expect(m.headers.first { $0.name == "Subject" }?.value == "ALERT \(a.topic): Attack <near> Gao")
        #expect(m.html == "<b>Attack &lt;near&gt; Gao</b>")
        #expect(m.text == "\(a.outlets.count) outlets")
        sink.templates.text = try AlertTemplate(text: "{{#lines}}{{/lines}}{{outlet}}", file: "bad.mustache", escaping: .text)
        #expect(throws: AlertError.self) { _ = try sink.message(for: a) }
    }

    @Test("the crowded alert really is cut: within the limit, the link whole, the rest counted")
    func truncationKeepsTheLink() throws {
        let discord = try Self.shipped("discord.mustache", "discord")
        let a = crowdedAlert("cut", reports: 100, beyond: 40)
        let text = try discord.render(a, sink: "d", fit: TemplateFit(limit: 2_000))
        #expect(text.utf16.count <= 2_000)
        #expect(text.hasSuffix("\n" + a.link!))
        let listed = text.components(separatedBy: "\n• ").count - 1
        #expect(listed > 3)
        #expect(moreOutlets(text) == 99 - listed + 40)
    }

    @Test("JSON escaping matches JSONSerialization for every control character and non-ASCII")
    func jsonEscapingMatchesFoundation() throws {
        let all = String(String.UnicodeScalarView((0..<0x80).compactMap(Unicode.Scalar.init))) + "é🚨\u{2028}/\\\""
        let expected = try json(["k": all])
        #expect(#"{"k":""# + TemplateEscape.json(all) + #""}"# == expected)
    }

    @Test("helpers: json, html, markdown, truncateN, nested; {{{x}}} raw; lists with last()")
    func helpers() throws {
        var a = sampleAlert("h")
        a.title = "A \"quoted\" <title> & more"
        a.outlets = ["one", "two", "three"]
        let t = try AlertTemplate(text: """
            {{truncate5(title)}}|{{{json(title)}}}|{{html(title)}}|{{markdown(topic)}}|{{upper(truncate3(topic))}}
            {{#outlets}}{{.}}{{^last()}},{{/last()}}{{/outlets}}|{{{title}}}|{{count(outlets)}}
            """, file: "h.mustache", escaping: .text)
        let out = try t.render(a, sink: "x")
        #expect(out == """
            A "qu…|A \\"quoted\\" <title> & more|A &quot;quoted&quot; &lt;title&gt; &amp; more|sahel|SAH…
            one,two,three|A "quoted" <title> & more|3
            """)
    }

    @Test("an outlet without a title shows none, not the alert's title (no lookup further out)")
    func absentFieldsStopTheLookup() throws {
        var a = crowdedAlert("n", reports: 2)
        a.reports![1].title = nil
        let t = try AlertTemplate(text: "{{#lines}}[{{outlet}}:{{title}}]{{/lines}}", file: "n", escaping: .text)
        #expect(try t.render(a, sink: "x") == "[outlet1.example:]")
    }

    @Test("an unknown variable is an error at its file:line:column, before any alert is sent")
    func unknownVariable() {
        #expect {
            _ = try AlertTemplate(text: "ok {{title}}\n  {{#lines}}{{outlet}} {{titel}}{{/lines}}\n", file: "t/x.mustache",
                                  escaping: .text)
        } throws: { e in
            (e as? TemplateError)?.description == "t/x.mustache:2:24: unknown variable 'titel'"
        }
    }

    @Test("an item's name used outside its list is an error when rendered, naming the tag")
    func nameOutOfContext() throws {
        let t = try AlertTemplate(text: "{{title}}\n{{outlet}}\n", file: "ctx.mustache", escaping: .text)
        #expect { _ = try t.render(sampleAlert("c"), sink: "x") } throws: { e in
            (e as? TemplateError)?.description == "ctx.mustache:2:1: unknown variable 'outlet'"
        }
    }

    @Test("a Mustache syntax error names its line and column; so does an unknown helper or a partial")
    func parseErrors() {
        func problem(_ text: String) -> String? {
            do { _ = try AlertTemplate(text: text, file: "p.mustache", escaping: .json); return nil } catch {
                return error.description
            }
        }
        #expect(problem("line one\n{{#lines}}\n{{outlet}}\n") == "p.mustache:4:1: section not closed ({{/name}} missing)")
        #expect(problem("a\nb {{#lines}}x{{/link}}") == "p.mustache:2:17: section closed with the wrong name")
        #expect(problem("{{title}}\n {{shout(title)}}")?.hasPrefix("p.mustache:2:2: unknown helper 'shout'") == true)
        #expect(problem("{{> header}}") == "p.mustache:1:1: partials and blocks are not supported in alert templates")
    }

    @Test("a JSON template that renders invalid JSON is a one-line error naming the template")
    func invalidJSON() throws {
        let t = try AlertTemplate(text: "{\"text\": \"{{{title}}}\"}\n", file: "bad.json.mustache", escaping: .json)
        var a = sampleAlert("j")
        a.title = "broken \" quote"
        #expect { _ = try t.render(a, sink: "hook") } throws: { e in
            let d = (e as? TemplateError)?.description ?? ""
            return d.hasPrefix("bad.json.mustache: rendered invalid JSON: ") && !d.contains("\n")
        }
        let sinkError = #expect(throws: AlertError.self) { _ = try t.message(a, sink: "hook") }
        #expect(sinkError?.kind == .permanent)
        #expect(sinkError?.description.hasPrefix("alert: hook: template bad.json.mustache: rendered invalid JSON") == true)
    }

    @Test("the JSON check is strict where Foundation is lenient: trailing commas, raw control characters")
    func strictJSON() {
        func ok(_ s: String) -> Bool { (try? StrictJSON.validate(s)) != nil }
        #expect(ok(#" {"a": [1, -2.5e3, true, false, null, {"b": "\u00e9\n"}], "c": {}} "#))
        #expect(!ok(#"{"a": "b",}"#))
        #expect(!ok(#"[1, 2,]"#))
        #expect(!ok("{\"a\": \"x\ty\"}"))
        #expect(!ok(#"{"a": 01}"#))
        #expect(!ok(#"{"a": 1} x"#))
        #expect(throws: StrictJSON.Problem(offset: 9, message: "expected a member name in quotes")) {
            try StrictJSON.validate(#"{"a": 1, }"#)
        }
    }

    @Test("a template whose fixed text alone is too long is cut, the link still whole at the end")
    func hardCut() throws {
        let t = try AlertTemplate(text: String(repeating: "x", count: 3_000) + " {{link}}", file: "big", escaping: .text)
        let a = sampleAlert("big")
        let out = try t.render(a, sink: "d", fit: TemplateFit(limit: 2_000))
        #expect(out.utf16.count <= 2_000)
        #expect(out.hasSuffix("…\n" + a.link!))
    }

    @Test("every shipped template passes the check against both samples")
    func shippedTemplatesCheckClean() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.dir).filter { $0.hasSuffix(".mustache") }
        #expect(files.count >= 10)
        for f in files {
            let type = String(f.prefix { $0 != "." && $0 != "-" })
            let part: SinkTemplates.Part = f.contains(".title.") || f.contains(".subject.") ? .subject
                : f.contains(".text.") ? .text : .body
            let t = try Self.shipped(f, type, part)
            for sample in TemplateCheck.samples() {
                #expect(throws: Never.self, "\(f)") { _ = try t.render(sample, sink: "check") }
            }
        }
    }
}

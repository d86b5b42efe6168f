import FeedwatchAlert
import FeedwatchConfig
@testable import FeedwatchDaemon
import FeedwatchHTTP
import FeedwatchModel
import FeedwatchStore
import FeedwatchTestSupport
import Foundation
import Testing

/// An alert in French with markup, a header injection attempt in its title and a second report.
func frenchAlert(_ id: String, topic: String = "sahel") -> Alert {
    var a = sampleAlert(id, topic: topic)
    a.title = "Attaque près de Ménaka — « JNIM » <b>&\"x\"</b>\r\nBcc: victim@evil.example"
    a.link = "https://example.org/news/\(id)?from=rss&lang=fr"
    a.reports = [
        Alert.Report(outlet: "rfi.fr", link: a.link, title: a.title),
        Alert.Report(outlet: "jeuneafrique.com", link: "https://www.jeuneafrique.com/\(id)",
                     title: "Mali : l'armée dit avoir repoussé une attaque près de Ménaka"),
    ]
    a.reportCount = 2
    a.outlets = ["rfi.fr", "jeuneafrique.com"]
    return a
}

/// The e-mail sink against a real SMTP server (aiosmtpd) on 127.0.0.1: STARTTLS and login, the
/// message parsed back as MIME by this test and by Python's email package, threading of updates,
/// permanent and temporary failures through the outbox, and per-topic digests.
@Suite("E-mail sink over SMTP", .serialized, .enabled(if: SMTPReceiver.available, "needs python3-aiosmtpd and openssl (scripts/deps)"))
struct EmailSinkTests {
    let dir = StoreTempDir()

    func configuration(port: Int, certificate: SMTPReceiver.Certificate?, scheme: String = "smtp",
                       to: [String] = ["ops@example.org"], cc: [String] = ["desk@example.org"],
                       password: String = SMTPReceiver.password) -> EmailSink.Configuration {
        EmailSink.Configuration(url: "\(scheme)://127.0.0.1:\(port)",
                                from: EmailAddress(name: "feedwatch Sahel — veille", address: "alerts@example.org"),
                                to: to.map { EmailAddress(address: $0) }, cc: cc.map { EmailAddress(address: $0) },
                                user: SMTPReceiver.user, password: password, caFile: certificate?.cert, timeout: 10)
    }

    func sink(_ conf: EmailSink.Configuration, name: String = "mail") -> EmailSink {
        EmailSink(name: name, configuration: conf, transport: CurlSMTPTransport())
    }

    @Test("An alert arrives over STARTTLS with login as valid multipart/alternative MIME; its update is a reply in the thread")
    func alertAndUpdateOverStartTLS() async throws {
        let cert = try SMTPReceiver.Certificate.make(in: dir)
        let server = try await SMTPReceiver.start(dir: dir.file("mail"), certificate: cert)
        defer { server.stop() }
        let s = sink(configuration(port: server.port, certificate: cert))
        let alert = frenchAlert("fw-0123456789abcdef")
        try await s.deliver(alert, payload: Data())
        let update = Outbox.update(of: alert, number: 1, at: alert.alerted.addingTimeInterval(900))
        try await s.deliver(update, payload: Data())

        let got = try server.messages()
        try #require(got.count == 2)
        let first = got[0], second = got[1]
        // The envelope: To and Cc, nothing from the title's "Bcc:".
        #expect(first.mailFrom == "alerts@example.org")
        #expect(first.recipients == ["ops@example.org", "desk@example.org"])
        #expect(first.summary["tls"] as? Bool == true && first.summary["login"] as? Bool == true)

        let m = try ParsedMail(first.raw)
        let subject = "[sahel] Attaque près de Ménaka — « JNIM » <b>&\"x\"</b> Bcc: victim@evil.example"
        #expect(m.header("Subject") == subject)
        #expect(first.pythonSubject == subject)
        #expect(m.headers("Bcc").isEmpty && (first.summary["headers"] as? [String: String])?["Bcc"] == nil)
        #expect(m.header("From") == "feedwatch Sahel — veille <alerts@example.org>")
        #expect(m.header("To") == "ops@example.org" && m.header("Cc") == "desk@example.org")
        #expect(m.header("MIME-Version") == "1.0")
        #expect(m.header("Date") == "Mon, 21 Sep 2026 14:13:20 +0000")
        #expect(m.header("Message-ID") == "<feedwatch.fw-0123456789abcdef@example.org>")
        #expect(m.header("In-Reply-To") == nil)
        #expect(m.parts.count == 2)
        let types = m.parts.map { part in part.headers.first(where: { $0.name.lowercased() == "content-type" })?.value ?? "" }
        #expect(types == ["text/plain; charset=UTF-8", "text/html; charset=UTF-8"])
        let text = m.parts[0].text, html = m.parts[1].text
        #expect(text.hasPrefix("Attaque près de Ménaka — « JNIM » <b>&\"x\"</b>"))
        #expect(text.contains("sahel · score 2.5 · rfi.fr"))
        #expect(text.contains("\nhttps://example.org/news/fw-0123456789abcdef?from=rss&lang=fr\n"))
        #expect(text.contains("• jeuneafrique.com: Mali : l'armée dit avoir repoussé une attaque près de Ménaka\n"
                              + "  https://www.jeuneafrique.com/fw-0123456789abcdef"))
        #expect(html.contains("Attaque près de Ménaka — « JNIM » &lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;"))
        #expect(html.contains("<a href=\"https://example.org/news/fw-0123456789abcdef?from=rss&amp;lang=fr\">"))
        #expect(!html.contains("<b>&"))
        // Python's email package reads the same: no defects, the same two decoded parts.
        #expect(first.pythonDefects.isEmpty)
        #expect(first.pythonParts.map(\.type) == ["text/plain", "text/html"])
        #expect(first.pythonParts.first?.text == text)
        #expect(first.summary["bare_lf"] as? Int == 0 && first.summary["content_type"] as? String == "multipart/alternative")
        #expect((first.summary["max_line"] as? Int ?? 999) <= 78)

        let r = try ParsedMail(second.raw)
        #expect(r.header("Subject") == "Re: " + subject)
        #expect(r.header("Message-ID") == "<feedwatch.fw-0123456789abcdef-u1@example.org>")
        #expect(r.header("In-Reply-To") == m.header("Message-ID"))
        #expect(r.header("References") == m.header("Message-ID"))
        #expect(r.parts[0].text.hasPrefix("Update 1: 2 outlets now report: Attaque près de Ménaka"))
        #expect(second.pythonDefects.isEmpty)
    }

    @Test("smtps:// (TLS from the first byte) delivers; a retry of the same alert is the same message")
    func implicitTLSAndStableBytes() async throws {
        let cert = try SMTPReceiver.Certificate.make(in: dir)
        let server = try await SMTPReceiver.start(dir: dir.file("mail"), certificate: cert, extra: ["--implicit-tls"])
        defer { server.stop() }
        let s = sink(configuration(port: server.port, certificate: cert, scheme: "smtps"))
        let alert = frenchAlert("fw-retry")
        try await s.deliver(alert, payload: Data())
        try await s.deliver(alert, payload: Data())
        let got = try server.messages()
        try #require(got.count == 2)
        #expect(got[0].summary["tls"] as? Bool == true)
        #expect(got[0].raw == got[1].raw)
    }

    @Test("A long non-ASCII subject is split into RFC 2047 words between characters, every line within 78")
    func longSubject() async throws {
        let cert = try SMTPReceiver.Certificate.make(in: dir)
        let server = try await SMTPReceiver.start(dir: dir.file("mail"), certificate: cert)
        defer { server.stop() }
        var alert = frenchAlert("fw-long")
        alert.title = String(repeating: "Ménaka, Gao, Tombouctou : l’armée malienne 🇲🇱 dit avoir repoussé. ", count: 3)
            + "." + String(repeating: "x", count: 200)
        try await sink(configuration(port: server.port, certificate: cert)).deliver(alert, payload: Data())
        let got = try #require(try server.messages().first)
        let expected = "[sahel] " + TextBudget.prefix(alert.title.split(separator: " ").joined(separator: " "), 200)
        #expect(try ParsedMail(got.raw).header("Subject") == expected)
        #expect(got.pythonSubject == expected)
        #expect((got.summary["max_line"] as? Int ?? 999) <= 78)
        #expect(got.pythonDefects.isEmpty)
    }

    @Test("STARTTLS is required: a server that does not offer it gets nothing, the failure is temporary")
    func startTLSRequired() async throws {
        let server = try await SMTPReceiver.start(dir: dir.file("mail"), certificate: nil, extra: ["--no-tls"])
        defer { server.stop() }
        do {
            try await sink(configuration(port: server.port, certificate: nil)).deliver(frenchAlert("a"), payload: Data())
            Issue.record("delivered without TLS")
        } catch {
            #expect(error.kind == .transient)
            #expect(error.description.hasPrefix("alert: mail: smtp://127.0.0.1:\(server.port): "))
            #expect(error.message.contains("STARTTLS"))
            #expect(!error.message.contains(SMTPReceiver.password))
        }
        #expect(try server.messages().isEmpty)
    }

    /// A dispatcher on `f`'s store over `sinks`, with `digest` windows.
    func dispatcher(_ f: DispatchFixture, _ sinks: [any AlertSink], digest: [String: TimeInterval] = [:]) throws -> AlertDispatcher {
        var conf = AlertDispatcher.Configuration(retry: RetryPolicy(initialDelay: 10, jitter: 0.2, maxAttempts: 4), flood: nil)
        conf.digestWindows = digest
        return AlertDispatcher(store: f.store, sinks: sinks, deadLetters: try DeadLetterLog(path: f.deadPath),
                               configuration: conf, logger: quietLogger, now: f.clock.closure, random: { 0.5 })
    }

    @Test("A wrong password (535) and an unknown recipient (550) are dead-lettered at once with the server's text",
          arguments: ["password", "recipient"])
    func permanentFailures(_ what: String) async throws {
        let cert = try SMTPReceiver.Certificate.make(in: dir)
        let server = try await SMTPReceiver.start(dir: dir.file("mail"), certificate: cert)
        defer { server.stop() }
        let f = try DispatchFixture()
        let conf = what == "password"
            ? configuration(port: server.port, certificate: cert, password: "wrong password")
            : configuration(port: server.port, certificate: cert, to: ["ops@example.org", "nobody@elsewhere.test"])
        try f.raise(frenchAlert("fw-dead"), to: ["mail"])
        let r = try await dispatcher(f, [sink(conf)]).drain()
        #expect(r.dead == 1 && r.retried == 0 && r.delivered == 0)
        let line = try #require(readLines(f.deadPath).first)
        let record = try jsonObject(Data(line.utf8))
        #expect(record["sink"] as? String == "mail" && record["attempts"] as? Int == 1)
        let error = try #require(record["error"] as? String)
        if what == "password" {
            #expect(error.contains("login refused: 535 5.7.8 Authentication credentials invalid"))
        } else {
            #expect(error.contains("550 5.1.1 <nobody@elsewhere.test>: Recipient address rejected"))
        }
        #expect(!error.contains(SMTPReceiver.password) && !error.contains("wrong password"))
        #expect(try server.messages().isEmpty)
    }

    @Test("Server not running: the alert is retried with backoff, nothing lost, delivered once the server is up")
    func serverDownThenUp() async throws {
        let cert = try SMTPReceiver.Certificate.make(in: dir)
        let port = SMTPReceiver.freePort()
        let f = try DispatchFixture()
        let d = try dispatcher(f, [sink(configuration(port: port, certificate: cert))])
        try f.raise(frenchAlert("fw-later"), to: ["mail"])
        let r1 = await d.drain()
        #expect(r1.retried == 1 && r1.delivered == 0)
        let e1 = try #require(try f.store.outboxEntry(alertID: "fw-later", sink: "mail"))
        #expect(e1.lastError?.hasPrefix("smtp://127.0.0.1:\(port): could not connect") == true)
        #expect(e1.nextAttemptAt > f.clock.now)
        // Not due yet: another round sends nothing.
        #expect(await d.drain().claimed == 0)

        let server = try await SMTPReceiver.start(port: port, dir: dir.file("mail"), certificate: cert)
        defer { server.stop() }
        f.clock.advance(60)
        let r2 = await d.drain()
        #expect(r2.delivered == 1)
        #expect(try server.messages().count == 1)
        let e2 = try #require(try f.store.outboxEntry(alertID: "fw-later", sink: "mail"))
        #expect(e2.deliveredAt != nil && e2.attempts == 2)
        f.clock.advance(3600)
        #expect(await d.drain().claimed == 0)
        #expect(try server.messages().count == 1)
    }

    @Test("digest: 30m sends one message per topic when the window ends; waiting rows survive a restart")
    func digestPerTopic() async throws {
        let cert = try SMTPReceiver.Certificate.make(in: dir)
        let server = try await SMTPReceiver.start(dir: dir.file("mail"), certificate: cert)
        defer { server.stop() }
        let f = try DispatchFixture()
        let window: TimeInterval = 1800
        let end = AlertDispatcher.windowEnd(f.clock.now, window: window)
        for (i, topic) in ["sahel", "niger", "sahel", "sahel", "niger"].enumerated() {
            try f.raise(sampleAlert("fw-d\(i)", topic: topic), to: ["mail"])
            f.clock.advance(60)
        }
        let before = try dispatcher(f, [sink(configuration(port: server.port, certificate: cert))], digest: ["mail": window])
        let r1 = await before.drain()
        #expect(r1.delivered == 0 && r1.digests == 0)
        let waiting = try #require(try f.store.outboxEntry(alertID: "fw-d0", sink: "mail"))
        #expect(waiting.nextAttemptAt == end && waiting.attempts == 0 && waiting.deliveredAt == nil)
        #expect(try server.messages().isEmpty)

        // A new process on the same state: the rows wait in the outbox, not in the old dispatcher.
        let after = try dispatcher(f, [sink(configuration(port: server.port, certificate: cert))], digest: ["mail": window])
        f.clock.advance(end.timeIntervalSince(f.clock.now) + 1)
        let r2 = await after.drain()
        #expect(r2.digests == 2 && r2.delivered == 2)
        let got = try server.messages().map { try ParsedMail($0.raw) }
        #expect(got.compactMap { $0.header("Subject") }.sorted() == ["[niger] 2 alerts on niger", "[sahel] 3 alerts on sahel"])
        let sahel = try #require(got.first { $0.header("Subject")?.hasPrefix("[sahel]") == true })
        for id in ["fw-d0", "fw-d2", "fw-d3"] { #expect(sahel.parts[0].text.contains("Attack near Gao \(id)")) }
        #expect(!sahel.parts[0].text.contains("fw-d1"))
        #expect(sahel.parts[1].text.contains("<a href=\"https://example.org/fw-d3\">"))
        #expect(try f.store.outboxDepth() == 0)
        #expect(try f.store.counter("alerts.digested") == 5)
        f.clock.advance(3 * window)
        #expect(await after.drain().delivered == 0)
        #expect(try server.messages().count == 2)
    }

    @Test("notify-test sends through an email sink built from the config (password file, ca_file)")
    func notifyTestFromConfig() async throws {
        let cert = try SMTPReceiver.Certificate.make(in: dir)
        let server = try await SMTPReceiver.start(dir: dir.file("mail"), certificate: cert)
        defer { server.stop() }
        try (SMTPReceiver.password + "\n").write(toFile: dir.file("smtp-password"), atomically: true, encoding: .utf8)
        let yaml = """
        watchlist: w.yaml
        state_dir: \(dir.path)/state
        sources:
          - url: https://example.org/feed
        sinks:
          - type: email
            name: ops-mail
            url: smtp://127.0.0.1:\(server.port)
            user: \(SMTPReceiver.user)
            password_file: smtp-password
            ca_file: cert.pem
            from: "feedwatch <alerts@example.org>"
            to: [ops@example.org]
            digest: 30m
        """
        let config = try Config.parse(yaml: yaml, file: dir.file("feedwatch.yaml"))
        let results = try await NotifyTest.run(config: config, only: nil, timeout: 20, logger: quietLogger)
        #expect(results.map(\.line) == ["ops-mail: delivered (1 attempt)"])
        let got = try server.messages()
        #expect(got.count == 1)
        #expect(got.first?.pythonSubject == "[notify-test] feedwatch test alert: if you read this, the sink works")
    }
}

import FeedwatchConfig
import FeedwatchModel
import Foundation
import Testing

/// `type: email` in the config: its keys, the password only from a file or the environment, and
/// one-line errors that name the sink and `file:line`.
@Suite struct EmailConfigTests {
    let base = ConfigTests()

    func yaml(_ sink: String) -> String {
        "watchlist: w.yaml\nsources:\n  - url: https://example.org/feed\nsinks:\n" + sink
    }

    @Test func anEmailSinkParses() throws {
        let c = try base.parse(yaml("""
          - type: email
            name: ops-mail
            url: smtps://mail.example.org:465
            user: alerts@example.org
            password_env: SMTP_PASSWORD
            from: "Veille Sahel <alerts@example.org>"
            to: [ops@example.org, "Desk <desk@example.org>"]
            cc: chief@example.org
            digest: 30m
            topics: [sahel]
        """), env: ["SMTP_PASSWORD": "pw with space "])
        guard case .channel(let ch) = c.sinks[0], case .email(let e) = ch.channel else { Issue.record("no email"); return }
        #expect(c.sinks[0].name == "ops-mail" && ch.channel.type == "email")
        #expect(e.url == "smtps://mail.example.org:465" && e.user == "alerts@example.org")
        #expect(e.password?.value == "pw with space " && !"\(e)".contains("pw with"))
        #expect(e.from == EmailAddress(name: "Veille Sahel", address: "alerts@example.org"))
        #expect(e.to == [EmailAddress(address: "ops@example.org"), EmailAddress(name: "Desk", address: "desk@example.org")])
        #expect(e.cc == [EmailAddress(address: "chief@example.org")])
        #expect(e.digest == 1800 && e.startTLS == "required" && ch.timeout == 30)
        #expect(ch.route.topics == ["sahel"])
    }

    @Test("Errors name the sink and the line", arguments: [
        ("    password_file: /nonexistent/smtp-password\n",
         "feedwatch.yaml:11:20: email sink 'ops-mail': cannot read password_file /nonexistent/smtp-password (no such file)"),
        ("    password: hunter2\n",
         "feedwatch.yaml:11:5: email sink 'ops-mail': the password is a secret: give password_file or password_env"),
        ("    password_env: NOT_SET\n",
         "feedwatch.yaml:11:19: email sink 'ops-mail': environment variable NOT_SET (password_env) is not set"),
        ("    password_env: SMTP_PASSWORD\n    starttls: never\n",
         "feedwatch.yaml:12:15: email sink 'ops-mail': starttls: never would send the password in clear to mail.example.org; only a relay on this host may go without TLS"),
        ("    password_env: SMTP_PASSWORD\n    cc: [\"not an address\"]\n",
         "feedwatch.yaml:12:10: email sink 'ops-mail': cc: 'not an address' is not an e-mail address (user@example.org or Name <user@example.org>, ASCII)"),
    ])
    func errors(_ extra: String, _ expected: String) {
        let problems = base.problems(yaml("""
          - type: email
            name: ops-mail
            url: smtp://mail.example.org:587
            from: alerts@example.org
            to: ops@example.org
            user: alerts@example.org

        """ + extra), env: ["SMTP_PASSWORD": "x"])
        #expect(problems == [expected])
    }

    @Test func aLoginInTheURLAndAnHTTPURLAreRefused() {
        let p1 = base.problems(yaml("""
          - type: email
            url: smtp://user:pw@mail.example.org
            from: a@example.org
            to: b@example.org
        """))
        #expect(p1.count == 1 && p1[0].contains("email sink 'email': url must not carry a login"))
        let p2 = base.problems(yaml("""
          - type: email
            url: https://mail.example.org
            from: a@example.org
        """))
        #expect(p2.contains { $0.contains("url must be smtp://host[:port] (STARTTLS) or smtps://host[:port]") })
        #expect(p2.contains { $0.contains("needs 'to'") })
    }
}

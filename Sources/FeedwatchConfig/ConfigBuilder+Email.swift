import FeedwatchModel
import Foundation
import Yams

extension ConfigBuilder {
    static let emailKeys: Set<String> = ["url", "user", "password", "password_file", "password_env", "from", "to", "cc",
                                         "ca_file", "starttls", "digest"]

    /// `type: email`. Every problem names the sink, so `feedwatch check` on a config with several
    /// mail sinks says which one lacks its password file.
    func emailSink(_ node: Node) -> SinkConfig? {
        guard let m = reader.mapping(node, what: "an email sink", allowed: ChannelKeys.common.union(Self.emailKeys)
            .union(Self.routeKeys)) else { return nil }
        let name = m["name"].flatMap { reader.string($0.value, what: "name") } ?? "email"
        let sink = "email sink '\(name)'"
        var ok = true
        func fail(_ n: Node, _ message: String) {
            reader.error(n, "\(sink): \(message)")
            ok = false
        }
        func address(_ n: Node, what: String) -> EmailAddress? {
            guard let text = reader.string(n, what: what) else { ok = false; return nil }
            let (a, problem) = EmailAddress.parse(text)
            if let problem { fail(n, "\(what): \(problem)") }
            return a
        }
        func addresses(_ key: String) -> [EmailAddress] {
            guard let n = m[key]?.value else { return [] }
            return (n.sequence.map(Array.init) ?? [n]).compactMap { address($0, what: key) }
        }

        var url = ""
        if let u = m["url"]?.value, let s = reader.string(u, what: "url") {
            let c = URLComponents(string: s)
            let scheme = c?.scheme?.lowercased()
            if scheme != "smtp" && scheme != "smtps" || (c?.host ?? "").isEmpty {
                fail(u, "url must be smtp://host[:port] (STARTTLS) or smtps://host[:port]")
            } else if c?.user != nil || c?.password != nil {
                fail(u, "url must not carry a login: give 'user' and password_file or password_env")
            }
            url = s
        } else if m["url"] == nil { fail(node, "needs 'url' (smtp://host:587 or smtps://host:465)") }
        let from = m["from"].flatMap { address($0.value, what: "from") }
        if m["from"] == nil { fail(node, "needs 'from' (the sender address)") }
        let to = addresses("to")
        if m["to"] == nil { fail(node, "needs 'to' (one address or a list)") }
        let cc = addresses("cc")

        let user = m["user"].flatMap { reader.string($0.value, what: "user") }
        let password = emailPassword(m, sink: sink, hasUser: user != nil, node: node, ok: &ok)

        var startTLS = "required"
        if let n = m["starttls"]?.value, let s = reader.string(n, what: "starttls") {
            if s != "required" && s != "never" {
                fail(n, "starttls must be 'required' (the default) or 'never'")
            } else if s == "never" {
                let host = URLComponents(string: url)?.host?.lowercased() ?? ""
                if url.lowercased().hasPrefix("smtps:") {
                    fail(n, "starttls: never does not apply to smtps:// (TLS from the start)")
                } else if user != nil && !["127.0.0.1", "::1", "[::1]", "localhost"].contains(host) {
                    fail(n, "starttls: never would send the password in clear to \(host); only a relay on this host may go without TLS")
                }
            }
            startTLS = s
        }
        var caFile: String?
        if let n = m["ca_file"]?.value, let s = reader.string(n, what: "ca_file") {
            caFile = path(s)
            if !FileManager.default.isReadableFile(atPath: caFile!) {
                fail(n, "cannot read ca_file \(caFile!) (\(Config.reason(caFile!)))")
            }
        }
        let digest = m["digest"].flatMap { reader.duration($0.value, what: "digest", min: 60) }
        if m["digest"] != nil && digest == nil { ok = false }

        guard ok, let from, !to.isEmpty else { return nil }
        let email = EmailSinkConfig(url: url, from: from, to: to, cc: cc, user: user, password: password,
                                    startTLS: startTLS, caFile: caFile, digest: digest)
        var c = ChannelSinkConfig(name: m["name"] == nil ? nil : name, channel: .email(email),
                                  burst: m["burst"].flatMap { reader.int($0.value, what: "burst", range: 1...1_000) },
                                  perMinute: m["per_minute"].flatMap {
                                      reader.double($0.value, what: "per_minute", range: 0.01...10_000) })
        c.timeout = m["timeout"].flatMap { reader.duration($0.value, what: "timeout", min: 0.1) } ?? 30
        c.route = route(m)
        return .channel(c)
    }

    /// The SMTP password: from `password_file` or `password_env` only, and only with a `user`.
    private func emailPassword(_ m: [String: (key: Node, value: Node)], sink: String, hasUser: Bool, node: Node,
                               ok: inout Bool) -> Secret? {
        if let literal = m["password"] {
            reader.error(literal.key, "\(sink): the password is a secret: give password_file or password_env")
            ok = false
            return nil
        }
        let given = ["password_file", "password_env"].filter { m[$0] != nil }
        guard let key = given.first, let valueNode = m[key]?.value else {
            if hasUser { reader.error(node, "\(sink): 'user' needs password_file or password_env"); ok = false }
            return nil
        }
        guard given.count == 1 else {
            reader.error(node, "\(sink): give only one of password_file, password_env")
            ok = false
            return nil
        }
        guard hasUser else {
            reader.error(valueNode, "\(sink): \(key) without 'user' (the login name)")
            ok = false
            return nil
        }
        guard let value = reader.string(valueNode, what: key) else { ok = false; return nil }
        guard resolveSecrets else { return Secret("", origin: "\(key) (not read)") }
        if key == "password_file" {
            let file = path(value)
            guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
                reader.error(valueNode, "\(sink): cannot read password_file \(file) (\(Config.reason(file)))")
                ok = false
                return nil
            }
            // Only the line break an editor adds: a password may end in a space.
            let s = text.hasSuffix("\r\n") ? String(text.dropLast(2)) : text.hasSuffix("\n") ? String(text.dropLast()) : text
            guard !s.isEmpty else {
                reader.error(valueNode, "\(sink): password_file \(file) is empty")
                ok = false
                return nil
            }
            return Secret(s, origin: "password_file \(file)")
        }
        guard let env = environment[value], !env.isEmpty else {
            reader.error(valueNode, "\(sink): environment variable \(value) (password_env) is not set")
            ok = false
            return nil
        }
        return Secret(env, origin: "password_env \(value)")
    }
}

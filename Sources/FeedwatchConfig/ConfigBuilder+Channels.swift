import FeedwatchModel
import Foundation
import Yams

/// The config keys of each chat and push sink type.
enum ChannelKeys {
    static let types = ["slack", "discord", "telegram", "ntfy", "matrix", "teams", "email"]
    static let common: Set<String> = ["type", "name", "burst", "per_minute", "timeout"]

    static func allowed(_ type: String) -> Set<String> {
        let own: Set<String>
        switch type {
        case "slack", "discord", "teams": own = ["url", "url_file", "url_env"]
        case "telegram": own = ["token", "token_file", "token_env", "chat_id", "api_url"]
        case "ntfy": own = ["server", "topic", "token", "token_file", "token_env", "priority"]
        case "matrix": own = ["homeserver", "room", "token", "token_file", "token_env"]
        default: own = []
        }
        return common.union(own).union(ConfigBuilder.routeKeys).union(ConfigBuilder.templateKeys(type))
    }
}

extension ConfigBuilder {
    /// Keys every sink takes to choose its alerts.
    static let routeKeys: Set<String> = ["topics", "min_score", "tags", "languages", "kinds"]

    func route(_ m: [String: (key: Node, value: Node)]) -> AlertRoute {
        var r = AlertRoute()
        if let n = m["topics"]?.value { r.topics = Set(reader.strings(n, what: "topics") ?? []) }
        if let n = m["min_score"]?.value { r.minScore = reader.double(n, what: "min_score", range: 0...1_000_000) }
        if let n = m["tags"]?.value { r.tags = Set(reader.strings(n, what: "tags") ?? []) }
        if let n = m["languages"]?.value {
            r.languages = Set((reader.strings(n, what: "languages") ?? []).map { $0.lowercased() })
        }
        if let n = m["kinds"]?.value {
            var kinds: Set<AlertRoute.Kind> = []
            let items = n.sequence ?? [n]
            for item in items {
                guard let s = reader.string(item, what: "kinds") else { continue }
                guard let k = AlertRoute.Kind(rawValue: s) else {
                    reader.error(item, "unknown alert kind '\(s)' (\(AlertRoute.Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
                    continue
                }
                kinds.insert(k)
            }
            if !kinds.isEmpty { r.kinds = kinds }
        }
        return r
    }

    func channelSink(_ node: Node, type: String) -> SinkConfig? {
        if type == "email" { return emailSink(node) }
        guard let m = reader.mapping(node, what: "a \(type) sink", allowed: ChannelKeys.allowed(type)) else { return nil }
        func required(_ key: String) -> String? {
            guard let n = m[key] else {
                reader.error(node, "a \(type) sink needs '\(key)'")
                return nil
            }
            return reader.string(n.value, what: key)
        }
        func httpURL(_ key: String, _ value: String?, node n: Node?) -> String? {
            guard let value else { return nil }
            let lower = value.lowercased()
            guard lower.hasPrefix("http://") || lower.hasPrefix("https://"),
                  let host = URLComponents(string: value)?.host, !host.isEmpty else {
                reader.error(n ?? node, "\(key) must be an http:// or https:// URL")
                return nil
            }
            return value
        }
        let channel: ChannelSinkConfig.Channel
        switch type {
        case "slack", "discord", "teams":
            guard let url = secret(m, base: "url", type: type, node: node, required: true) else { return nil }
            if resolveSecrets, httpURL("url", url.value, node: m["url_file"]?.value ?? m["url_env"]?.value) == nil {
                return nil
            }
            channel = type == "slack" ? .slack(url: url) : type == "discord" ? .discord(url: url) : .teams(url: url)
        case "telegram":
            let token = secret(m, base: "token", type: type, node: node, required: true)
            let chat = required("chat_id")
            let api = m["api_url"].map { httpURL("api_url", reader.string($0.value, what: "api_url"), node: $0.value) }
                ?? "https://api.telegram.org"
            guard let token, let chat, let api else { return nil }
            channel = .telegram(token: token, chatID: chat, apiBase: api.hasSuffix("/") ? String(api.dropLast()) : api)
        case "ntfy":
            let server = m["server"].map { httpURL("server", reader.string($0.value, what: "server"), node: $0.value) }
                ?? "https://ntfy.sh"
            let topic = required("topic")
            let token = secret(m, base: "token", type: type, node: node, required: false)
            let priority = m["priority"].flatMap { reader.int($0.value, what: "priority", range: 1...5) }
            guard let server, let topic, m["token"] == nil || token != nil else { return nil }
            channel = .ntfy(server: server, topic: topic, token: token, priority: priority)
        case "matrix":
            let home = httpURL("homeserver", required("homeserver"), node: m["homeserver"]?.value)
            let room = required("room")
            let token = secret(m, base: "token", type: type, node: node, required: true)
            if let room, !room.hasPrefix("!") {
                reader.error(m["room"]!.value, "room must be a room id such as !abc123:example.org (not an alias)")
                return nil
            }
            guard let home, let room, let token else { return nil }
            channel = .matrix(homeserver: home, room: room, token: token)
        default:
            return nil
        }
        let name = m["name"].flatMap { reader.string($0.value, what: "name") }
        var sink = ChannelSinkConfig(name: name, channel: channel,
                                     burst: m["burst"].flatMap { reader.int($0.value, what: "burst", range: 1...1_000) },
                                     perMinute: m["per_minute"].flatMap {
                                         reader.double($0.value, what: "per_minute", range: 0.01...10_000) })
        if let t = m["timeout"], let v = reader.duration(t.value, what: "timeout", min: 0.1) { sink.timeout = v }
        sink.route = route(m)
        sink.templates = templateFiles(m, node: node)
        return .channel(sink)
    }

    /// `<base>_file` or `<base>_env`, exactly one, resolved now (a missing file or variable is a
    /// config error, not a failure at first delivery). `<base>` itself is refused: the value is a
    /// secret and a config file is read by many.
    private func secret(_ m: [String: (key: Node, value: Node)], base: String, type: String, node: Node,
                        required: Bool) -> Secret? {
        if let literal = m[base] {
            reader.error(literal.key, "the \(type) \(base) is a secret: give \(base)_file or \(base)_env instead of \(base)")
            return nil
        }
        let given = ["\(base)_file", "\(base)_env"].filter { m[$0] != nil }
        guard given.count == 1, let key = given.first, let valueNode = m[key]?.value else {
            if given.count > 1 { reader.error(node, "give only one of \(given.joined(separator: ", "))") }
            else if required { reader.error(node, "a \(type) sink needs \(base)_file or \(base)_env") }
            return nil
        }
        guard let value = reader.string(valueNode, what: key) else { return nil }
        guard resolveSecrets else { return Secret("", origin: "\(key) (not read)") }
        if key.hasSuffix("_file") {
            let file = path(value)
            guard let data = FileManager.default.contents(atPath: file),
                  let text = String(data: data, encoding: .utf8) else {
                reader.error(valueNode, "cannot read \(key) \(file) (\(Config.reason(file)))")
                return nil
            }
            let s = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !s.isEmpty else {
                reader.error(valueNode, "\(key) \(file) is empty")
                return nil
            }
            return Secret(s, origin: "\(key) \(file)")
        }
        guard let env = environment[value]?.trimmingCharacters(in: .whitespacesAndNewlines), !env.isEmpty else {
            reader.error(valueNode, "environment variable \(value) (\(key)) is not set")
            return nil
        }
        return Secret(env, origin: "\(key) \(value)")
    }
}

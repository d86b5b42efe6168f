import Foundation
import Yams

extension ConfigBuilder {
    /// Headers the webhook sink sets itself: configuring them would break signatures.
    static let reservedHeaders: Set<String> = ["webhook-id", "webhook-timestamp", "webhook-signature", "content-type",
                                               "content-length", "host"]

    static let sinkTypes = "file, webhook, " + ChannelKeys.types.joined(separator: ", ")

    func sinks(_ node: Node) -> [SinkConfig] {
        guard let seq = node.sequence else {
            reader.error(node, "sinks must be a list")
            return []
        }
        if seq.isEmpty { reader.error(node, "sinks is empty: alerts need somewhere to go") }
        var out: [SinkConfig] = []
        var names: Set<String> = []
        for item in seq {
            guard let sink = self.sink(item) else { continue }
            guard names.insert(sink.name).inserted else {
                reader.error(item, "two sinks are both named '\(sink.name)'; give one a 'name'")
                continue
            }
            out.append(sink)
        }
        return out
    }

    private func sink(_ node: Node) -> SinkConfig? {
        guard let type = node.mapping?["type"] else {
            reader.error(node, "a sink needs a 'type' (\(Self.sinkTypes))")
            return nil
        }
        switch type.scalar?.string {
        case "file": return fileSink(node)
        case "webhook": return webhookSink(node)
        case let t? where ChannelKeys.types.contains(t): return channelSink(node, type: t)
        default:
            reader.error(type, "unknown sink type '\(type.scalar?.string ?? "")' (\(Self.sinkTypes))")
            return nil
        }
    }

    private func fileSink(_ node: Node) -> SinkConfig? {
        guard let m = reader.mapping(node, what: "a file sink", allowed: Set(["type", "name", "path"]).union(Self.routeKeys))
        else { return nil }
        guard let p = m["path"] else {
            reader.error(node, "a file sink needs a 'path'")
            return nil
        }
        guard let written = reader.string(p.value, what: "path") else { return nil }
        let name = m["name"].flatMap { reader.string($0.value, what: "name") }
        var sink = FileSinkConfig(name: name, path: path(written), written: written)
        sink.route = route(m)
        return .file(sink)
    }

    private func webhookSink(_ node: Node) -> SinkConfig? {
        guard let m = reader.mapping(node, what: "a webhook sink", allowed: Set([
            "type", "name", "url", "secret", "secret_file", "secret_env", "headers", "timeout",
        ]).union(Self.routeKeys).union(Self.templateKeys("webhook"))) else { return nil }
        guard let u = m["url"] else {
            reader.error(node, "a webhook sink needs a 'url'")
            return nil
        }
        guard let url = reader.string(u.value, what: "url") else { return nil }
        let lower = url.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://"),
              let host = URLComponents(string: url)?.host, !host.isEmpty else {
            reader.error(u.value, "webhook url must be an http:// or https:// URL")
            return nil
        }
        guard let secret = secret(m, node: node) else { return nil }
        var sink = WebhookSinkConfig(name: m["name"].flatMap { reader.string($0.value, what: "name") }, url: url, secret: secret)
        if let h = m["headers"] { sink.headers = headers(h.value) }
        if let t = m["timeout"], let v = reader.duration(t.value, what: "timeout", min: 0.1) { sink.timeout = v }
        sink.route = route(m)
        sink.templates = templateFiles(m, node: node)
        return .webhook(sink)
    }

    /// Exactly one of secret / secret_file / secret_env, resolved now so a
    /// missing file or variable is a config error, not a failure at first delivery.
    private func secret(_ m: [String: (key: Node, value: Node)], node: Node) -> Secret? {
        let given = ["secret", "secret_file", "secret_env"].filter { m[$0] != nil }
        guard given.count == 1, let key = given.first, let valueNode = m[key]?.value else {
            reader.error(node, given.isEmpty ? "a webhook sink needs one of secret, secret_file or secret_env"
                                             : "give only one of \(given.joined(separator: ", "))")
            return nil
        }
        guard let value = reader.string(valueNode, what: key) else { return nil }
        guard resolveSecrets else { return Secret("", origin: "\(key) (not read)") }
        let resolved: Secret
        switch key {
        case "secret_file":
            let file = path(value)
            guard let data = FileManager.default.contents(atPath: file),
                  let text = String(data: data, encoding: .utf8) else {
                reader.error(valueNode, "cannot read secret_file \(file) (\(Config.reason(file)))")
                return nil
            }
            resolved = Secret(text.trimmingCharacters(in: .whitespacesAndNewlines), origin: "secret_file \(file)")
        case "secret_env":
            guard let env = environment[value], !env.isEmpty else {
                reader.error(valueNode, "environment variable \(value) (secret_env) is not set")
                return nil
            }
            resolved = Secret(env.trimmingCharacters(in: .whitespacesAndNewlines), origin: "secret_env \(value)")
        default:
            resolved = Secret(value, origin: "secret")
        }
        guard Self.isValidSecret(resolved.value) else {
            // Never echo the value itself.
            reader.error(valueNode, "webhook secret (\(resolved.origin)) must be whsec_ followed by base64 of at least 16 bytes")
            return nil
        }
        return resolved
    }

    static func isValidSecret(_ s: String) -> Bool {
        guard s.hasPrefix("whsec_"), let key = Data(base64Encoded: String(s.dropFirst(6))) else { return false }
        return key.count >= 16
    }

    private func headers(_ node: Node) -> [String: String] {
        guard let m = node.mapping else {
            reader.error(node, "headers must be a mapping of header name to value")
            return [:]
        }
        var out: [String: String] = [:]
        for (k, v) in m {
            guard let name = reader.string(k, what: "header name") else { continue }
            guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_".contains($0)) }) else {
                reader.error(k, "'\(name)' is not a valid header name")
                continue
            }
            guard !Self.reservedHeaders.contains(name.lowercased()) else {
                reader.error(k, "header '\(name)' is set by feedwatch itself")
                continue
            }
            guard let value = v.scalar?.string, !value.contains("\n"), !value.contains("\r") else {
                reader.error(v, "header '\(name)' needs a one-line value")
                continue
            }
            out[name] = value
        }
        return out
    }
}

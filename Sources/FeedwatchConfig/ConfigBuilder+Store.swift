import Foundation
import Yams

extension ConfigBuilder {
    /// `store: {url: postgresql://…, password_file: …}`; `url: sqlite` (or no `store:`) is the default.
    func store(_ node: Node) -> StoreConfig {
        guard let m = reader.mapping(node, what: "store", allowed: ["url", "password_file", "lease"]) else { return .sqlite }
        guard let urlNode = m["url"]?.value else {
            reader.error(node, "store needs a url (postgresql://user@host/db, or sqlite)")
            return .sqlite
        }
        guard let url = reader.string(urlNode, what: "store.url") else { return .sqlite }
        if url == "sqlite" {
            if let k = m["password_file"]?.key { reader.error(k, "store.password_file is for a postgresql:// url") }
            if let k = m["lease"]?.key { reader.error(k, "store.lease is for a postgresql:// url") }
            return .sqlite
        }
        guard url.hasPrefix("postgresql://") || url.hasPrefix("postgres://") else {
            reader.error(urlNode, "store.url must be postgresql://… or sqlite")
            return .sqlite
        }
        if PostgreSQLStoreConfig.redact(url) != url || url.contains("password=") {
            reader.error(urlNode, "store.url must not hold the password: put it in store.password_file")
            return .sqlite
        }
        var pg = PostgreSQLStoreConfig(url: url)
        if let n = m["lease"]?.value, let lease = reader.duration(n, what: "store.lease", min: 5) { pg.lease = lease }
        if let fileNode = m["password_file"]?.value, let value = reader.string(fileNode, what: "store.password_file") {
            let file = path(value)
            pg.passwordFile = file
            if !resolveSecrets {
                pg.password = Secret("", origin: "password_file \(file) (not read)")
            } else if let data = FileManager.default.contents(atPath: file),
                      let text = String(data: data, encoding: .utf8) {
                pg.password = Secret(text.trimmingCharacters(in: .whitespacesAndNewlines), origin: "password_file \(file)")
            } else {
                reader.error(fileNode, "cannot read store.password_file \(file) (\(Config.reason(file)))")
            }
        }
        return .postgresql(pg)
    }
}

import Foundation

/// Where a request goes: libcurl for http(s), a direct read for local files.
/// Public so every reader of a feed location (the fetcher, `feedwatch parse`)
/// accepts and refuses the same URLs with the same reasons.
public enum RequestTarget: Equatable, Sendable {
    /// `hostKey` is `scheme://authority`, lower-cased: the unit of the per-host window.
    case http(hostKey: String)
    case file(path: String)
    case invalid(reason: String)

    public init(_ url: String) {
        guard !url.isEmpty else { self = .invalid(reason: "empty URL"); return }
        guard let separator = url.range(of: "://") else {
            self = .file(path: url)                    // a plain path
            return
        }
        let scheme = url[..<separator.lowerBound].lowercased()
        let rest = url[separator.upperBound...]
        switch scheme {
        case "http", "https":
            var authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
            if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
            guard !authority.isEmpty else { self = .invalid(reason: "no host in URL"); return }
            self = .http(hostKey: "\(scheme)://\(authority.lowercased())")
        case "file":
            var path = Substring(rest)
            if path.lowercased().hasPrefix("localhost/") { path = path.dropFirst("localhost".count) }
            guard path.hasPrefix("/") else {
                self = .invalid(reason: "file URL must name a local absolute path")
                return
            }
            let raw = String(path.prefix { $0 != "?" && $0 != "#" })
            self = .file(path: raw.removingPercentEncoding ?? raw)
        default:
            self = .invalid(reason: "unsupported scheme \"\(scheme)\" (only http, https and file)")
        }
    }
}

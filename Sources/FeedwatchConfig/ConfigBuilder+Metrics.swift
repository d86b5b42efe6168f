import Foundation
import Yams

extension ConfigBuilder {
    /// `metrics: {listen: "127.0.0.1:9464"}`: an IPv4 address and port (0: any free one).
    func metrics(_ node: Node) -> String? {
        guard let m = reader.mapping(node, what: "metrics", allowed: ["listen"]) else { return nil }
        guard let n = m["listen"]?.value else {
            reader.error(node, "metrics needs listen: \"127.0.0.1:9464\"")
            return nil
        }
        guard let listen = reader.string(n, what: "metrics.listen") else { return nil }
        guard MetricsAddress(listen) != nil else {
            reader.error(n, "metrics.listen must be an IPv4 address and a port, e.g. \"127.0.0.1:9464\"")
            return nil
        }
        return listen
    }
}

/// Where `/metrics` is served: `host:port`, host an IPv4 address.
public struct MetricsAddress: Sendable, Equatable {
    public var host: String
    public var port: UInt16

    public init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else { return nil }
        let host = String(text[..<colon])
        var addr = in_addr()
        guard inet_pton(AF_INET, host, &addr) == 1 else { return nil }
        self.host = host
        self.port = port
    }
}

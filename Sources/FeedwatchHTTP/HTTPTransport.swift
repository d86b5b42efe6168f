/// The one I/O edge of fetching and webhook delivery. `CurlTransport` is the
/// real one; tests swap in fakes or point it at a loopback server.
public protocol HTTPTransport: Sendable {
    /// Performs the request. Every HTTP status is a response; transport
    /// failures throw `HTTPError`.
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}

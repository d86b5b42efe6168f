/// A request waiting for, or holding, a slot on the multi loop. Sendable: it
/// crosses from the caller's task to the loop thread through the inbox.
struct CurlJob: Sendable {
    let id: UInt64
    let request: HTTPRequest
    let hostKey: String
    let continuation: CheckedContinuation<HTTPResponse, any Error>

    func fail(_ kind: HTTPError.Kind, _ message: String) {
        continuation.resume(throwing: HTTPError(kind: kind, url: request.url, message: message))
    }
}

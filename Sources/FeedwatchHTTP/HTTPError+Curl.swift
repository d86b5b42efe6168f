import CCurlShim

extension HTTPError {
    /// Maps a libcurl result to a kind and a one-line message.
    static func classify(_ code: CURLcode, url: String, detail: String?, exceededCap: Bool,
                         request: HTTPRequest) -> HTTPError {
        let kind: Kind
        let summary: String
        switch code {
        case CURLE_WRITE_ERROR where exceededCap, CURLE_FILESIZE_EXCEEDED:
            kind = .tooLarge
            summary = "body over the \(request.maxBodyBytes)-byte cap"
        case CURLE_URL_MALFORMAT:
            kind = .invalidURL
            summary = "malformed URL"
        case CURLE_UNSUPPORTED_PROTOCOL:
            // The first URL is vetted before curl sees it, so this is a redirect hop.
            kind = .redirect
            summary = "redirect to a non-HTTP(S) URL refused"
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            kind = .dns
            summary = "could not resolve host"
        case CURLE_COULDNT_CONNECT:
            kind = .connect
            summary = "could not connect"
        case CURLE_OPERATION_TIMEDOUT:
            kind = .timeout
            summary = "timed out"
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
             CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CRL_BADFILE, CURLE_USE_SSL_FAILED, CURLE_SSL_ENGINE_NOTFOUND,
             CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_SHUTDOWN_FAILED:
            kind = .tls
            summary = "TLS failure"
        case CURLE_TOO_MANY_REDIRECTS:
            kind = .redirect
            summary = "more than \(request.maxRedirects) redirects"
        case CURLE_ABORTED_BY_CALLBACK:
            kind = .cancelled
            summary = "cancelled"
        default:
            kind = .protocol
            summary = "transfer failed"
        }
        let reason = detail.flatMap { $0.isEmpty ? nil : $0 } ?? String(cString: curl_easy_strerror(code))
        return HTTPError(kind: kind, url: url, message: "\(summary) (curl \(code.rawValue): \(reason))")
    }
}

import CCurlShim
import Foundation
import Synchronization

/// The production `MailTransport`: libcurl's SMTP client, one blocking `curl_easy_perform` per message
/// on a thread of its own (alert mail is a trickle, so a connection per message is cheap and keeps
/// the multi loop HTTP-only). The server's reply lines are read through the debug callback, because
/// libcurl's error text names only the code ("RCPT failed: 550"); what goes out (the AUTH line
/// included) is never looked at, so the password cannot end up in a message.
public struct CurlSMTPTransport: MailTransport {
    public init() { CurlGlobal.initialize() }

    public func send(_ request: SMTPRequest) async throws(SMTPError) {
        let lower = request.url.lowercased()
        guard lower.hasPrefix("smtp://") || lower.hasPrefix("smtps://") else {
            throw SMTPError(kind: .invalidURL, message: "not an smtp:// or smtps:// URL")
        }
        let transfer = SMTPTransfer(request)
        let result: Result<Void, SMTPError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                Thread.detachNewThread { continuation.resume(returning: transfer.perform()) }
            }
        } onCancel: {
            transfer.cancelled.store(true, ordering: .relaxed)
        }
        try result.get()
    }
}

/// One submission: owns its easy handle for the length of `perform()`.
final class SMTPTransfer: Sendable {
    let request: SMTPRequest
    let cancelled = Atomic<Bool>(false)
    /// Bytes of the message already handed to libcurl, and the server's reply lines so far.
    private let state = Mutex<(sent: Int, replies: [String])>((0, []))

    init(_ request: SMTPRequest) { self.request = request }

    func perform() -> Result<Void, SMTPError> {
        guard let easy = CurlEasy() else { return .failure(SMTPError(kind: .protocol, message: "curl_easy_init failed")) }
        var rcpt: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(rcpt) }
        let me = Unmanaged.passUnretained(self).toOpaque()
        easy.set(CURLOPT_URL, request.url)
        easy.set(CURLOPT_PROTOCOLS_STR, "smtp,smtps")
        easy.set(CURLOPT_NOSIGNAL, 1)
        easy.set(CURLOPT_USE_SSL, Int(request.startTLS == .required ? CURLUSESSL_ALL.rawValue : CURLUSESSL_NONE.rawValue))
        easy.set(CURLOPT_SSL_VERIFYPEER, 1)
        easy.set(CURLOPT_SSL_VERIFYHOST, 2)
        if let ca = request.caFile { easy.set(CURLOPT_CAINFO, ca) }
        if let user = request.user { easy.set(CURLOPT_USERNAME, user) }
        if let password = request.password { easy.set(CURLOPT_PASSWORD, password) }
        easy.set(CURLOPT_MAIL_FROM, "<\(request.from)>")
        for r in request.recipients { rcpt = curl_slist_append(rcpt, "<\(r)>") }
        easy.set(CURLOPT_MAIL_RCPT, list: rcpt)
        easy.set(CURLOPT_UPLOAD, 1)
        easy.set(CURLOPT_INFILESIZE_LARGE, offset: request.message.count)
        easy.set(CURLOPT_READFUNCTION, callback: smtpReadCallback)
        easy.set(CURLOPT_READDATA, pointer: me)
        easy.set(CURLOPT_CONNECTTIMEOUT_MS, CurlTransfer.milliseconds(request.connectTimeout))
        easy.set(CURLOPT_TIMEOUT_MS, CurlTransfer.milliseconds(request.totalTimeout))
        easy.set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(easy.errorBuffer))
        easy.set(CURLOPT_VERBOSE, 1)
        var ok = fw_setopt_debugcb(easy.handle, CURLOPT_DEBUGFUNCTION, smtpDebugCallback) == CURLE_OK
        ok = ok && fw_setopt_ptr(easy.handle, CURLOPT_DEBUGDATA, me) == CURLE_OK
        ok = ok && fw_setopt_xferinfocb(easy.handle, CURLOPT_XFERINFOFUNCTION, smtpProgressCallback) == CURLE_OK
        ok = ok && fw_setopt_ptr(easy.handle, CURLOPT_XFERINFODATA, me) == CURLE_OK
        easy.set(CURLOPT_NOPROGRESS, 0)
        guard ok, easy.rejectedOption == nil else {
            return .failure(SMTPError(kind: .protocol, message: "libcurl refused an SMTP option (built without SMTP or TLS?)"))
        }
        let code = curl_easy_perform(easy.handle)
        if code == CURLE_OK { return .success(()) }
        return .failure(classify(code, reply: easy.long(CURLINFO_RESPONSE_CODE), detail: easy.errorMessage))
    }

    /// The failure as one line: what went wrong, then the server's reply to the failed command
    /// (its last 4xx/5xx reply, continuation lines joined) or libcurl's own text.
    func classify(_ code: CURLcode, reply: Int, detail: String?) -> SMTPError {
        let kind: SMTPError.Kind
        let summary: String
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            (kind, summary) = (.connect, "could not resolve host")
        case CURLE_COULDNT_CONNECT:
            (kind, summary) = (.connect, "could not connect")
        case CURLE_OPERATION_TIMEDOUT:
            (kind, summary) = (.timeout, "timed out")
        case CURLE_LOGIN_DENIED:
            (kind, summary) = (.auth, "login refused")
        case CURLE_USE_SSL_FAILED:
            (kind, summary) = (.tls, "the server does not offer STARTTLS, which is required")
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR:
            (kind, summary) = (.tls, "TLS failure")
        case CURLE_ABORTED_BY_CALLBACK:
            (kind, summary) = (.cancelled, "cancelled")
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            (kind, summary) = (.invalidURL, "bad SMTP URL")
        default:
            (kind, summary) = (reply >= 400 ? .rejected : .protocol, "refused")
        }
        let server = Self.failedReply(state.withLock { $0.replies })
        let reason = server ?? detail.flatMap { $0.isEmpty ? nil : $0 } ?? String(cString: curl_easy_strerror(code))
        let text = server != nil ? "\(summary): \(reason)" : "\(summary) (curl \(code.rawValue): \(reason))"
        let code = server.flatMap { Int($0.prefix(3)) } ?? (kind == .auth ? reply : 0)
        return SMTPError(kind: kind, reply: code, message: text)
    }

    /// The last 4xx/5xx reply among `lines`, its continuation lines (`550-…`) joined with a space.
    static func failedReply(_ lines: [String]) -> String? {
        guard let last = lines.lastIndex(where: { $0.count >= 3 && ($0.first == "4" || $0.first == "5") }) else { return nil }
        let code = lines[last].prefix(3)
        var first = last
        while first > 0, lines[first - 1].hasPrefix(code + "-") { first -= 1 }
        return lines[first...last].map { String($0.prefix(300)) }.joined(separator: " ")
    }

    fileprivate func read(into buffer: UnsafeMutablePointer<CChar>, max: Int) -> Int {
        state.withLock { s in
            let n = min(max, request.message.count - s.sent)
            guard n > 0 else { return 0 }
            request.message.withUnsafeBytes { raw in
                UnsafeMutableRawPointer(buffer).copyMemory(from: raw.baseAddress! + s.sent, byteCount: n)
            }
            s.sent += n
            return n
        }
    }

    fileprivate func absorbReply(_ bytes: UnsafeRawBufferPointer) {
        let text = String(decoding: bytes, as: UTF8.self)
        let lines = text.split(whereSeparator: { $0 == "\r" || $0 == "\n" || $0 == "\r\n" }).map(String.init)
        state.withLock { s in
            s.replies += lines
            if s.replies.count > 64 { s.replies.removeFirst(s.replies.count - 64) }
        }
    }
}

private let smtpReadCallback: fw_data_cb = { buffer, size, count, userdata in
    guard let buffer, let userdata else { return 0 }
    let transfer = Unmanaged<SMTPTransfer>.fromOpaque(userdata).takeUnretainedValue()
    return transfer.read(into: buffer, max: size * count)
}

private let smtpDebugCallback: fw_debug_cb = { _, type, data, size, userdata in
    // Only what the server said: CURLINFO_HEADER_OUT carries our commands, the AUTH line among them.
    guard type == CURLINFO_HEADER_IN, let data, let userdata, size > 0 else { return 0 }
    let transfer = Unmanaged<SMTPTransfer>.fromOpaque(userdata).takeUnretainedValue()
    transfer.absorbReply(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

private let smtpProgressCallback: fw_xferinfo_cb = { userdata, _, _, _, _ in
    guard let userdata else { return 0 }
    return Unmanaged<SMTPTransfer>.fromOpaque(userdata).takeUnretainedValue().cancelled.load(ordering: .relaxed) ? 1 : 0
}

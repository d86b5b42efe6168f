import CCurlShim
import Foundation

/// One in-flight exchange on the multi loop's thread: the request, its easy
/// handle, and what the callbacks collect. Never leaves that thread; only the
/// finished `HTTPResponse` or `HTTPError` crosses back through the continuation.
final class CurlTransfer {
    let job: CurlJob
    let easy: CurlEasy
    private var headerList: UnsafeMutablePointer<curl_slist>?
    var body = Data()
    /// Set by the write callback when the decoded body would pass the cap.
    var exceededCap = false
    /// Headers of the current hop: reset at every status line, so after a
    /// redirect chain they describe the final response.
    var headers = ResponseHeaders()
    /// Every hop's final status (1xx interim responses skipped) and the URL it was
    /// requested at: libcurl's effective URL while that hop's headers arrive, i.e. the
    /// previous hop's Location as libcurl resolved and followed it.
    var hops: [(status: Int, url: String)] = []

    init(job: CurlJob, easy: CurlEasy) {
        self.job = job
        self.easy = easy
    }

    deinit { curl_slist_free_all(headerList) }

    var request: HTTPRequest { job.request }

    /// Sets every option for this exchange; returns false if libcurl refused one.
    func configure(userAgent: String) -> Bool {
        let request = job.request
        let me = Unmanaged.passUnretained(self).toOpaque()
        easy.set(CURLOPT_URL, request.url)
        easy.set(CURLOPT_NOSIGNAL, 1)
        easy.set(CURLOPT_PROTOCOLS_STR, "http,https")
        easy.set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        // A proxy's "200 Connection established" must not count as a hop.
        easy.set(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1)
        easy.set(CURLOPT_FOLLOWLOCATION, request.maxRedirects > 0 ? 1 : 0)
        easy.set(CURLOPT_MAXREDIRS, max(0, request.maxRedirects))
        easy.set(CURLOPT_ACCEPT_ENCODING, "")                   // every coding libcurl was built with
        easy.set(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(request.connectTimeout))
        easy.set(CURLOPT_TIMEOUT_MS, Self.milliseconds(request.totalTimeout))
        easy.set(CURLOPT_LOW_SPEED_LIMIT, max(0, request.lowSpeedLimit))
        easy.set(CURLOPT_LOW_SPEED_TIME, max(1, Int(request.lowSpeedTime.components.seconds)))
        // Refuses early on Content-Length; the write callback enforces the cap on
        // chunked and compressed bodies, which curl 7.88 lets through.
        easy.set(CURLOPT_MAXFILESIZE_LARGE, offset: request.maxBodyBytes)
        easy.set(CURLOPT_SSL_VERIFYPEER, 1)
        easy.set(CURLOPT_SSL_VERIFYHOST, 2)
        easy.set(CURLOPT_TCP_KEEPALIVE, 1)
        easy.set(CURLOPT_USERAGENT, userAgent)
        easy.set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(easy.errorBuffer))
        easy.set(CURLOPT_WRITEFUNCTION, callback: curlWriteCallback)
        easy.set(CURLOPT_WRITEDATA, pointer: me)
        easy.set(CURLOPT_HEADERFUNCTION, callback: curlHeaderCallback)
        easy.set(CURLOPT_HEADERDATA, pointer: me)
        easy.set(CURLOPT_PRIVATE, pointer: me)

        var lines: [String] = []
        // Echoed verbatim (RFC 9110 §13.1): the server compares its own strings.
        if let etag = request.validators.etag { lines.append("If-None-Match: \(etag)") }
        if let date = request.validators.lastModified { lines.append("If-Modified-Since: \(date)") }
        for header in request.headers { lines.append("\(header.name): \(header.value)") }
        if request.method != .get {
            // A PUT (Matrix) carries its body like a POST, under its own verb.
            if request.method == .put { easy.set(CURLOPT_CUSTOMREQUEST, "PUT") }
            lines.append("Expect:")                              // no 100-continue round trip
            let body = request.body ?? Data()
            easy.set(CURLOPT_POST, 1)
            easy.set(CURLOPT_POSTFIELDSIZE_LARGE, offset: body.count)
            body.withUnsafeBytes { raw in
                // COPYPOSTFIELDS copies POSTFIELDSIZE bytes now, so the Data need not outlive this call.
                let empty: StaticString = ""
                let pointer = raw.baseAddress ?? UnsafeRawPointer(empty.utf8Start)
                easy.set(CURLOPT_COPYPOSTFIELDS, pointer: UnsafeMutableRawPointer(mutating: pointer))
            }
        }
        for line in lines { headerList = curl_slist_append(headerList, line) }
        if headerList != nil { easy.set(CURLOPT_HTTPHEADER, list: headerList) }
        return easy.rejectedOption == nil
    }

    /// Reads the outcome of a transfer that finished with CURLE_OK.
    func response() -> HTTPResponse {
        let status = easy.long(CURLINFO_RESPONSE_CODE)
        let finalURL = easy.string(CURLINFO_EFFECTIVE_URL) ?? request.url
        let permanent = Self.permanentTarget(hops)
        let micro = { (info: CURLINFO) in Double(self.easy.offset(info)) / 1_000_000 }
        let timings = Timings(dns: micro(CURLINFO_NAMELOOKUP_TIME_T), connect: micro(CURLINFO_CONNECT_TIME_T),
                              tls: micro(CURLINFO_APPCONNECT_TIME_T), firstByte: micro(CURLINFO_STARTTRANSFER_TIME_T),
                              total: micro(CURLINFO_TOTAL_TIME_T))
        return HTTPResponse(status: status, finalURL: finalURL, permanentURL: permanent, headers: headers,
                            body: body, timings: timings, wireBytes: easy.offset(CURLINFO_SIZE_DOWNLOAD_T),
                            newConnections: easy.long(CURLINFO_NUM_CONNECTS))
    }

    /// The classified error for a transfer that finished with `code`.
    func error(_ code: CURLcode) -> HTTPError {
        HTTPError.classify(code, url: request.url, detail: easy.errorMessage, exceededCap: exceededCap,
                           request: request)
    }

    /// One raw header line from the header callback, CRLF included.
    func absorbHeader(_ line: UnsafeRawBufferPointer) {
        if line.starts(with: "HTTP/".utf8) {
            headers = ResponseHeaders()
            // "HTTP/1.1 301 Moved": the three digits after the first space.
            if let space = line.firstIndex(of: UInt8(ascii: " ")), space + 3 < line.count {
                var status = 0
                for byte in line[(space + 1)...(space + 3)] where (0x30...0x39).contains(byte) {
                    status = status * 10 + Int(byte - 0x30)
                }
                if status >= 200 { hops.append((status, easy.string(CURLINFO_EFFECTIVE_URL) ?? request.url)) }
            }
        } else {
            headers.absorb(line: line, receivedAt: Date())
        }
    }

    /// Where the leading run of permanent redirects (301/308) leads: the URL of the
    /// first hop after it. nil when the first hop was not a followed 301/308: a
    /// permanent redirect behind a temporary one says nothing about the source's URL,
    /// and a temporary one after it must not be stored. The last hop is the response
    /// itself, so it never counts as a followed redirect.
    static func permanentTarget(_ hops: [(status: Int, url: String)]) -> String? {
        var target: String?
        for i in hops.indices.dropLast() {
            guard hops[i].status == 301 || hops[i].status == 308 else { break }
            target = hops[i + 1].url
        }
        return target
    }

    static func milliseconds(_ d: Duration) -> Int {
        let c = d.components
        return max(1, Int(c.seconds) * 1000 + Int(c.attoseconds / 1_000_000_000_000_000))
    }
}

/// Appends decoded body bytes, refusing past the cap (returning less than
/// given makes libcurl abort with CURLE_WRITE_ERROR).
private let curlWriteCallback: fw_data_cb = { pointer, size, count, userdata in
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata!).takeUnretainedValue()
    let n = size * count
    guard n > 0, let pointer else { return n }
    if transfer.body.count + n > transfer.request.maxBodyBytes {
        transfer.exceededCap = true
        return 0
    }
    transfer.body.append(UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: n)
    return n
}

private let curlHeaderCallback: fw_data_cb = { pointer, size, count, userdata in
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata!).takeUnretainedValue()
    let n = size * count
    guard n > 0, let pointer else { return n }
    transfer.absorbHeader(UnsafeRawBufferPointer(start: pointer, count: n))
    return n
}

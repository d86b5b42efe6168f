import Foundation

/// `scripts/smtp-receiver` (Debian's python3-aiosmtpd) as a child process on 127.0.0.1: STARTTLS
/// required (or TLS from the start) with a certificate made for the test, AUTH checked, every
/// message accepted written to a directory with the envelope and Python's own reading of the MIME.
public final class SMTPReceiver: @unchecked Sendable {
    public static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/smtp-receiver").path
    public static let user = "alerts@example.org"
    public static let password = "s3cret pass-φ"

    /// A self-signed certificate for 127.0.0.1, made with openssl: its own CA (the sink's `ca_file`).
    public struct Certificate {
        public let cert: String
        public let key: String

        public static func make(in dir: StoreTempDir) throws -> Certificate {
            let c = Certificate(cert: dir.file("cert.pem"), key: dir.file("key.pem"))
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            p.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", c.key, "-out", c.cert, "-days", "1",
                           "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            guard p.terminationStatus == 0 else { throw ReceiverError(message: "openssl req failed") }
            return c
        }
    }

    public struct ReceiverError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// One message as received: the raw bytes and the receiver's JSON summary.
    public struct Received {
        public let raw: Data
        public let summary: [String: Any]
        public var mailFrom: String? { summary["mail_from"] as? String }
        public var recipients: [String] { summary["rcpt_tos"] as? [String] ?? [] }
        public var pythonSubject: String? { summary["subject"] as? String }
        public var pythonDefects: [String] {
            (summary["defects"] as? [String] ?? []) + (summary["parts"] as? [[String: Any]] ?? []).flatMap { $0["defects"] as? [String] ?? [] }
        }
        public var pythonParts: [(type: String, text: String)] {
            (summary["parts"] as? [[String: Any]] ?? []).map {
                (($0["type"] as? String) ?? "", (($0["text"] as? String) ?? "").replacingOccurrences(of: "\r\n", with: "\n"))
            }
        }
    }

    /// True when python3-aiosmtpd and openssl are installed (`scripts/deps` installs them).
    public static let available: Bool = {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = ["-c", "import aiosmtpd"]
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")
    }()

    public let process: Process
    public let port: Int
    public let dir: String

    private init(process: Process, port: Int, dir: String) {
        self.process = process
        self.port = port
        self.dir = dir
    }

    deinit { stop() }

    /// Starts the receiver and waits (on a thread of its own, off the cooperative pool) for its
    /// "READY <port>" line. `port` 0 lets it choose.
    public static func start(port: Int = 0, dir: String, certificate: Certificate?, extra: [String] = []) async throws -> SMTPReceiver {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        var args = [script, "--port", "\(port)", "--dir", dir, "--user", user, "--password", password] + extra
        if let certificate { args += ["--cert", certificate.cert, "--key", certificate.key] }
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let line: String = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var bytes = Data()
                while let b = try? out.fileHandleForReading.read(upToCount: 1), let c = b.first, c != 10 { bytes.append(c) }
                continuation.resume(returning: String(decoding: bytes, as: UTF8.self))
            }
        }
        guard line.hasPrefix("READY "), let chosen = Int(line.dropFirst(6)) else {
            p.terminate()
            throw ReceiverError(message: "smtp-receiver did not start: '\(line)'")
        }
        return SMTPReceiver(process: p, port: chosen, dir: dir)
    }

    /// Kills the receiver (SIGKILL: a child spawned from a test thread may inherit a mask that blocks SIGTERM).
    public func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Messages received so far, in order.
    public func messages() throws -> [Received] {
        let names = (try FileManager.default.contentsOfDirectory(atPath: dir)).filter { $0.hasSuffix(".eml") }.sorted()
        return try names.map { name in
            let base = (dir as NSString).appendingPathComponent(String(name.dropLast(4)))
            let raw = try Data(contentsOf: URL(fileURLWithPath: base + ".eml"))
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: base + ".json")))
            return Received(raw: raw, summary: json as? [String: Any] ?? [:])
        }
    }

    /// A port nothing listens on now (bound and released).
    public static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}

/// A MIME message read back independently of the code that wrote it: headers unfolded and
/// RFC 2047-decoded, the multipart/alternative body split at its boundary, each part's
/// quoted-printable decoded and checked to be UTF-8.
public struct ParsedMail {
    public var headers: [(name: String, value: String)] = []
    public var parts: [(headers: [(name: String, value: String)], text: String)] = []

    public func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }
    public func headers(_ name: String) -> [String] { headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value) }

    public init(_ raw: Data) throws {
        let text = String(decoding: raw, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { throw SMTPReceiver.ReceiverError(message: "no header/body split") }
        headers = try Self.headerFields(String(text[..<split.lowerBound]))
        let body = String(text[split.upperBound...])
        let type = header("Content-Type") ?? ""
        guard type.hasPrefix("multipart/alternative;"),
              let b = type.range(of: #"boundary="([^"]+)""#, options: .regularExpression) else {
            throw SMTPReceiver.ReceiverError(message: "not multipart/alternative: \(type)")
        }
        let boundary = String(type[b].dropFirst(10).dropLast())
        let sections = body.components(separatedBy: "\r\n--\(boundary)")
        // The first section is the preamble (it starts with "--boundary" only if there is none).
        guard sections.count >= 3, sections.last!.hasPrefix("--") else {
            throw SMTPReceiver.ReceiverError(message: "boundary \(boundary) does not delimit parts and close")
        }
        for section in sections.dropFirst().dropLast() {
            var s = Substring(section)
            guard s.hasPrefix("\r\n") else { throw SMTPReceiver.ReceiverError(message: "junk after a boundary") }
            s = s.dropFirst()   // "\r\n" is one Character
            guard let end = s.range(of: "\r\n\r\n") else { throw SMTPReceiver.ReceiverError(message: "part without headers") }
            let ph = try Self.headerFields(String(s[..<end.lowerBound]))
            let cte = ph.first { $0.name.lowercased() == "content-transfer-encoding" }?.value.lowercased()
            guard cte == "quoted-printable" else { throw SMTPReceiver.ReceiverError(message: "part encoding \(cte ?? "none")") }
            let decoded = try Self.quotedPrintable(String(s[end.upperBound...]))
            guard let utf8 = String(data: decoded, encoding: .utf8) else { throw SMTPReceiver.ReceiverError(message: "part is not UTF-8") }
            parts.append((ph, utf8.replacingOccurrences(of: "\r\n", with: "\n")))
        }
    }

    public static func headerFields(_ block: String) throws -> [(name: String, value: String)] {
        try block.replacingOccurrences(of: "\r\n ", with: " ").replacingOccurrences(of: "\r\n\t", with: "\t")
            .components(separatedBy: "\r\n").map { line in
                guard let colon = line.firstIndex(of: ":") else { throw SMTPReceiver.ReceiverError(message: "bad header line '\(line)'") }
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                return (String(line[..<colon]), try decodeWords(value))
            }
    }

    /// RFC 2047 B and Q words (UTF-8); whitespace between adjacent words dropped.
    public static func decodeWords(_ value: String) throws -> String {
        let pattern = #"=\?([^?]+)\?([BbQq])\?([^?]*)\?="#
        let regex = try NSRegularExpression(pattern: pattern)
        let ns = value as NSString
        var out = ""
        var last = 0
        var previousWasWord = false
        for m in regex.matches(in: value, range: NSRange(location: 0, length: ns.length)) {
            let between = ns.substring(with: NSRange(location: last, length: m.range.location - last))
            if !(previousWasWord && between.trimmingCharacters(in: .whitespaces).isEmpty) { out += between }
            guard ns.substring(with: m.range(at: 1)).uppercased() == "UTF-8" else { throw SMTPReceiver.ReceiverError(message: "charset") }
            let payload = ns.substring(with: m.range(at: 3))
            let bytes: Data
            if ns.substring(with: m.range(at: 2)).uppercased() == "B" {
                guard let d = Data(base64Encoded: payload) else { throw SMTPReceiver.ReceiverError(message: "bad base64 word") }
                bytes = d
            } else {
                bytes = try quotedPrintable(payload.replacingOccurrences(of: "_", with: " "))
            }
            guard let s = String(data: bytes, encoding: .utf8) else { throw SMTPReceiver.ReceiverError(message: "word not UTF-8") }
            out += s
            last = m.range.location + m.range.length
            previousWasWord = true
        }
        out += ns.substring(from: last)
        return out
    }

    public static func quotedPrintable(_ s: String) throws -> Data {
        var out = Data()
        let b = Array(s.utf8)
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "=") {
                if i + 2 < b.count + 1, i + 1 < b.count, b[i + 1] == 13, i + 2 < b.count, b[i + 2] == 10 { i += 3; continue }
                guard i + 2 < b.count, let v = UInt8(String(decoding: b[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) else {
                    throw SMTPReceiver.ReceiverError(message: "bad quoted-printable escape")
                }
                out.append(v)
                i += 3
            } else {
                out.append(b[i])
                i += 1
            }
        }
        return out
    }
}

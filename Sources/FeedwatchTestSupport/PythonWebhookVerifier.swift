import Foundation

/// The Standard Webhooks verification, re-done independently in Python's hmac module.
public func pythonVerifies(secret: String, id: String, timestamp: String, body: Data, signature: String) throws -> Bool {
    let script = """
    import base64, hmac, hashlib, sys
    secret, msg_id, ts, sig_header = sys.argv[1:5]
    body = sys.stdin.buffer.read()
    key = base64.b64decode(secret[len("whsec_"):] if secret.startswith("whsec_") else secret)
    signed = msg_id.encode() + b"." + ts.encode() + b"." + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    ok = any(hmac.compare_digest(p.split(",", 1)[1], expected) for p in sig_header.split(" ") if p.startswith("v1,"))
    sys.exit(0 if ok else 1)
    """
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    p.arguments = ["-c", script, secret, id, timestamp, signature]
    let input = Pipe()
    p.standardInput = input
    try p.run()
    input.fileHandleForWriting.write(body)
    try input.fileHandleForWriting.close()
    p.waitUntilExit()
    return p.terminationStatus == 0
}


import CCurlShim
#if canImport(Glibc)
import Glibc
#endif

/// Process-wide libcurl setup.
///
/// `curl_global_init` is not thread-safe and must run before any thread uses
/// libcurl; with `CURLOPT_NOSIGNAL` set, libcurl no longer shields the process
/// from SIGPIPE on a closed socket, so it is ignored here too. Call
/// `initialize()` first thing in `main`; `CurlTransport.init` calls it as
/// well, which is safe but only early enough if no other thread is using
/// libcurl at that moment. Idempotent and thread-safe (runs once).
public enum CurlGlobal {
    private static let once: Bool = {
        signal(SIGPIPE, SIG_IGN)
        return curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
    }()

    /// Runs the one-time setup; returns false if libcurl could not initialise.
    @discardableResult
    public static func initialize() -> Bool { once }
}

import CCurlShim

/// Owns one libcurl easy handle and its error buffer. Lives on the multi loop's
/// thread only; pooled and `curl_easy_reset` between transfers so connections and
/// DNS entries (owned by the multi handle) keep being reused.
final class CurlEasy {
    let handle: UnsafeMutableRawPointer
    let errorBuffer: UnsafeMutablePointer<CChar>
    /// The first option libcurl refused since the last reset, if any.
    private(set) var rejectedOption: (option: CURLoption, code: CURLcode)?

    init?() {
        guard let handle = curl_easy_init() else { return nil }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    func reset() {
        curl_easy_reset(handle)
        errorBuffer[0] = 0
        rejectedOption = nil
    }

    /// The message libcurl left in the error buffer, if any.
    var errorMessage: String? {
        errorBuffer[0] == 0 ? nil : String(cString: errorBuffer)
    }

    func set(_ option: CURLoption, _ value: Int) { check(option, fw_setopt_long(handle, option, value)) }
    func set(_ option: CURLoption, offset value: Int) {
        check(option, fw_setopt_off(handle, option, curl_off_t(value)))
    }
    func set(_ option: CURLoption, _ value: String) { check(option, fw_setopt_str(handle, option, value)) }
    func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) {
        check(option, fw_setopt_ptr(handle, option, pointer))
    }
    func set(_ option: CURLoption, list: UnsafeMutablePointer<curl_slist>?) {
        check(option, fw_setopt_slist(handle, option, list))
    }
    func set(_ option: CURLoption, callback: fw_data_cb) { check(option, fw_setopt_datacb(handle, option, callback)) }

    private func check(_ option: CURLoption, _ code: CURLcode) {
        if code != CURLE_OK, rejectedOption == nil { rejectedOption = (option, code) }
    }

    func long(_ info: CURLINFO) -> Int {
        var value = 0
        return fw_getinfo_long(handle, info, &value) == CURLE_OK ? value : 0
    }

    func offset(_ info: CURLINFO) -> Int {
        var value: curl_off_t = 0
        return fw_getinfo_off(handle, info, &value) == CURLE_OK ? Int(value) : 0
    }

    func string(_ info: CURLINFO) -> String? {
        var value: UnsafePointer<CChar>?
        guard fw_getinfo_str(handle, info, &value) == CURLE_OK, let value else { return nil }
        return String(cString: value)
    }
}

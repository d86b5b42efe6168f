import CCurlShim
import Foundation
import Logging
import Synchronization

/// One libcurl multi handle driven by one dedicated thread.
///
/// Callers hand jobs over through a mutex-protected inbox and
/// `curl_multi_wakeup`, the one multi call that is safe from any thread.
/// Everything else — the multi handle, easy handles, connection and DNS caches —
/// is touched only on the loop thread, which is what makes the
/// `@unchecked Sendable` sound.
///
/// In-flight transfers are windowed here (per host and in total) rather than
/// by `CURLMOPT_MAX_HOST_CONNECTIONS`: curl 7.88's pending queue can leave a
/// transfer idle until the next poll timeout (ENGINEERING §1.4.1), so curl is
/// never given more than it may run at once.
final class CurlMultiLoop: @unchecked Sendable {
    private struct Inbox {
        var jobs: [CurlJob] = []
        var cancels: [UInt64] = []
        var stopping = false
        /// Set by the loop once the multi handle is gone: no more wakeups allowed.
        var stopped = false
        var shutdownWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let multi: UnsafeMutableRawPointer
    private let inbox = Mutex(Inbox())
    private let nextID = Atomic<UInt64>(1)
    /// CLOCK_MONOTONIC nanoseconds at the loop's last turn.
    private let heartbeat = Atomic<UInt64>(CurlMultiLoop.monotonicNanoseconds())
    private let maxConcurrent: Int
    private let maxPerHost: Int
    private let userAgent: String
    private let logger: Logger?

    // Loop-thread state.
    private var waiting = CurlWaitQueue()
    private var active: [UInt64: CurlTransfer] = [:]
    private var inFlightPerHost: [String: Int] = [:]
    private var pool: [CurlEasy] = []

    init?(maxConcurrent: Int, maxPerHost: Int, userAgent: String, logger: Logger?) {
        guard let multi = curl_multi_init() else { return nil }
        self.multi = multi
        self.maxConcurrent = max(1, maxConcurrent)
        self.maxPerHost = max(1, min(maxPerHost, maxConcurrent))
        self.userAgent = userAgent
        self.logger = logger
        // Idle connections kept for reuse; the windows above bound the busy ones.
        _ = fw_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, self.maxConcurrent * 2)
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "curl-multi"
        thread.start()
    }

    /// Hands `request` to the loop and suspends until it completes, fails or is cancelled.
    func perform(_ request: HTTPRequest, hostKey: String) async throws -> HTTPResponse {
        let id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, any Error>) in
                let job = CurlJob(id: id, request: request, hostKey: hostKey, continuation: continuation)
                let refusal: (HTTPError.Kind, String)? = inbox.withLock { box in
                    // Checked under the lock the cancel handler also takes: either we see the
                    // cancellation here, or its cancel id lands in the inbox after this job.
                    if Task.isCancelled { return (.cancelled, "cancelled") }
                    if box.stopping { return (.cancelled, "transport is shut down") }
                    box.jobs.append(job)
                    curl_multi_wakeup(multi)
                    return nil
                }
                if let (kind, message) = refusal { job.fail(kind, message) }
            }
        } onCancel: {
            inbox.withLock { box in
                guard !box.stopped else { return }
                box.cancels.append(id)
                curl_multi_wakeup(multi)
            }
        }
    }

    /// Fails everything outstanding, frees curl on the loop thread, then returns.
    func shutdown() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = inbox.withLock { box -> Bool in
                if box.stopped { return true }
                box.stopping = true
                box.shutdownWaiters.append(continuation)
                curl_multi_wakeup(multi)
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// Asks the loop to stop without waiting (used when the transport is released).
    func requestStop() {
        inbox.withLock { box in
            guard !box.stopping else { return }
            box.stopping = true
            curl_multi_wakeup(multi)
        }
    }

    /// Time since the loop thread last went round; it does so at least once a second.
    var heartbeatAge: Duration {
        let now = Self.monotonicNanoseconds()
        let last = heartbeat.load(ordering: .relaxed)
        return .nanoseconds(Int64(now > last ? now - last : 0))
    }

    static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }

    // MARK: The loop

    private func run() {
        while true {
            heartbeat.store(Self.monotonicNanoseconds(), ordering: .relaxed)
            let (jobs, cancels, stopping) = inbox.withLock { box in
                defer { box.jobs.removeAll(keepingCapacity: true); box.cancels.removeAll() }
                return (box.jobs, box.cancels, box.stopping)
            }
            for job in jobs { waiting.append(job) }
            for id in cancels { cancel(id) }
            if stopping { return teardown() }
            startReady()
            var running: Int32 = 0
            _ = curl_multi_perform(multi, &running)
            collectFinished()
            startReady()
            var ready: Int32 = 0
            _ = curl_multi_poll(multi, nil, 0, active.isEmpty ? 1000 : 250, &ready)
        }
    }

    /// Starts waiting jobs while the total and per-host windows allow, one job per
    /// host per sweep so a host with a long queue does not starve the others.
    private func startReady() {
        var progressed = true
        while progressed, active.count < maxConcurrent, waiting.count > 0 {
            progressed = false
            var index = 0
            while active.count < maxConcurrent, index < waiting.hosts.count {
                let host = waiting.hosts[index]
                guard inFlightPerHost[host, default: 0] < maxPerHost, let job = waiting.popFirst(host: host) else {
                    index += 1
                    continue
                }
                start(job)
                progressed = true
                // popFirst drops a host whose queue emptied; then `index` already names the next one.
                if index < waiting.hosts.count, waiting.hosts[index] == host { index += 1 }
            }
        }
    }

    private func start(_ job: CurlJob) {
        guard let easy = pool.popLast() ?? CurlEasy() else {
            return job.fail(.protocol, "libcurl could not create a transfer")
        }
        let transfer = CurlTransfer(job: job, easy: easy)
        guard transfer.configure(userAgent: userAgent) else {
            let option = easy.rejectedOption.map { "option \($0.option.rawValue): curl \($0.code.rawValue)" } ?? ""
            recycle(easy)
            return job.fail(.invalidURL, "libcurl refused the request (\(option))")
        }
        guard curl_multi_add_handle(multi, easy.handle) == CURLM_OK else {
            recycle(easy)
            return job.fail(.protocol, "libcurl could not start the transfer")
        }
        active[job.id] = transfer
        inFlightPerHost[job.hostKey, default: 0] += 1
    }

    private func collectFinished() {
        var left: Int32 = 0
        while let message = curl_multi_info_read(multi, &left) {
            guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle else { continue }
            let code = message.pointee.data.result
            var raw: UnsafeMutableRawPointer?
            guard fw_getinfo_ptr(handle, CURLINFO_PRIVATE, &raw) == CURLE_OK, let raw else { continue }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(raw).takeUnretainedValue()
            let result: Result<HTTPResponse, HTTPError> =
                code == CURLE_OK ? .success(transfer.response()) : .failure(transfer.error(code))
            finish(transfer, result)
        }
    }

    private func finish(_ transfer: CurlTransfer, _ result: Result<HTTPResponse, HTTPError>) {
        let job = transfer.job
        curl_multi_remove_handle(multi, transfer.easy.handle)
        active[job.id] = nil
        let remaining = inFlightPerHost[job.hostKey, default: 1] - 1
        inFlightPerHost[job.hostKey] = remaining > 0 ? remaining : nil
        recycle(transfer.easy)
        if let logger {
            switch result {
            case .success(let response):
                logger.debug("fetched", metadata: ["feed.url": "\(job.request.url)", "fetch.status": "\(response.status)",
                                                   "fetch.seconds": "\(response.timings.total)"])
            case .failure(let error):
                logger.debug("fetch failed", metadata: ["feed.url": "\(job.request.url)",
                                                        "error.code": "\(error.kind.rawValue)", "error": "\(error.message)"])
            }
        }
        job.continuation.resume(with: result.mapError { $0 as any Error })
    }

    private func recycle(_ easy: CurlEasy) {
        easy.reset()
        if pool.count < maxConcurrent { pool.append(easy) }
    }

    private func cancel(_ id: UInt64) {
        if let job = waiting.remove(id: id) {
            job.fail(.cancelled, "cancelled")
        } else if let transfer = active[id] {
            finish(transfer, .failure(HTTPError(kind: .cancelled, url: transfer.request.url, message: "cancelled")))
        }
    }

    private func teardown() {
        for job in waiting.removeAll() { job.fail(.cancelled, "transport is shut down") }
        for transfer in active.values {
            finish(transfer, .failure(HTTPError(kind: .cancelled, url: transfer.request.url,
                                                message: "transport is shut down")))
        }
        pool.removeAll()                                   // curl_easy_cleanup before the multi goes
        let waiters = inbox.withLock { box in
            box.stopped = true
            curl_multi_cleanup(multi)
            let waiters = box.shutdownWaiters
            box.shutdownWaiters = []
            return waiters
        }
        // Jobs that raced in after `stopping` was read.
        let late = inbox.withLock { box in defer { box.jobs = [] }; return box.jobs }
        for job in late { job.fail(.cancelled, "transport is shut down") }
        for waiter in waiters { waiter.resume() }
    }
}

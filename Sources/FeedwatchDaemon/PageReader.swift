import FeedwatchConfig
import FeedwatchExtract
import FeedwatchHTTP
import FeedwatchModel
import FeedwatchStore
import FeedwatchText
import Foundation
import Logging

/// What reading an entry's article page gave: its text, or why the feed's own text stays.
enum PageResult: Sendable, Equatable {
    /// The article's body, one paragraph per line.
    case text(String)
    /// A short bounded reason (`page HTTP 403`, `page timeout`, `robots.txt`…), for the alert's
    /// `text_note` and the log.
    case failed(String)
}

/// Reads article pages behind teaser entries, politely and within bounds (`full_text:`):
/// its own transfer limits in total and per host, the site's `robots.txt` for feedwatch's
/// product token (cached per host for a day), a per-host daily budget, a page size cap, a
/// deadline, and a cache of extracted text per canonical URL (revalidated with a conditional GET
/// once older than `recheck`). Every path ends by the deadline with text or a reason: a page
/// never holds an alert longer than `full_text.timeout`.
///
/// Counts what it does in the store's counters (`pages.*`, shown by `feedwatch status`).
actor PageReader {
    let transport: any HTTPTransport
    let store: any Store
    let limits: FullTextLimits
    let logger: Logger
    let now: @Sendable () -> Date
    /// The product token `robots.txt` groups are matched against.
    static let robotsAgent = "feedwatch"

    private var robots: [String: (task: Task<RobotsTxt, Never>, expires: Date)] = [:]
    private var perHost: [String: Int] = [:]
    private var inFlight = 0

    init(transport: any HTTPTransport, store: any Store, limits: FullTextLimits, logger: Logger,
         now: @escaping @Sendable () -> Date) {
        self.transport = transport
        self.store = store
        self.limits = limits
        self.logger = logger
        self.now = now
    }

    /// The article text behind `link`, or why not, by `full_text.timeout` from now.
    func read(_ link: String) async -> PageResult {
        let deadline = ContinuousClock.now + .milliseconds(Int64(limits.timeout * 1000))
        guard let url = URLComponents(string: link), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = url.host?.lowercased(), !host.isEmpty else {
            return .failed("page link is not http(s)")
        }
        let canonical = LinkCanonicalizer.canonical(link)
        let cached = try? store.page(url: canonical)
        let t = now()
        if let cached, t.timeIntervalSince(cached.fetchedAt) < limits.recheck {
            count("pages.cached")
            return cached.text.map { .text($0) } ?? .failed(cached.failure ?? "page failed")
        }
        let hostKey = "\(scheme)://\(host)" + (url.port.map { ":\($0)" } ?? "")
        guard await acquire(hostKey, until: deadline) else {
            count("pages.failed")
            return .failed("page timeout (waiting for a connection slot)")
        }
        defer { release(hostKey) }
        let rules = await robotsTxt(hostKey, deadline: deadline)
        let path = (url.percentEncodedPath.isEmpty ? "/" : url.percentEncodedPath)
            + (url.percentEncodedQuery.map { "?" + $0 } ?? "")
        guard rules.allows(path) else {
            count("pages.robots_denied")
            return .failed("robots.txt disallows the page")
        }
        guard (try? store.takePageBudget(host: host, at: t, limit: limits.dailyPerHost)) == true else {
            count("pages.over_budget")
            return .failed("daily page budget for \(host) spent")
        }
        let result = await fetch(link, host: host, canonical: canonical, cached: cached, deadline: deadline)
        switch result {
        case .text: count("pages.fetched")
        case .failed(let why):
            count("pages.failed")
            logger.info("article page not used; the feed's text stays", metadata: ["page.url": "\(link)", "error": "\(why)"])
        }
        return result
    }

    private func fetch(_ link: String, host: String, canonical: String, cached: StoredPage?,
                       deadline: ContinuousClock.Instant) async -> PageResult {
        let remaining = deadline - ContinuousClock.now
        guard remaining > .milliseconds(50) else { return .failed("page timeout") }
        let validators = cached?.text == nil ? Validators()
            : Validators(etag: cached?.etag, lastModified: cached?.lastModified)
        let request = HTTPRequest(url: link, headers: [("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1")],
                                  validators: validators, connectTimeout: min(remaining, .seconds(10)),
                                  totalTimeout: remaining, maxBodyBytes: limits.maxPageBytes, maxRedirects: 5,
                                  lowSpeedLimit: 1, lowSpeedTime: remaining)
        count("pages.requests")
        let t = now()
        var page = StoredPage(url: canonical, host: host, fetchedAt: t)
        let result: PageResult
        do {
            let response = try await transport.send(request)
            page.etag = response.headers.etag
            page.lastModified = response.headers.lastModified
            if response.status == 304, let text = cached?.text {
                count("pages.not_modified")
                page.title = cached?.title
                page.text = text
                result = .text(text)
            } else if response.isSuccess {
                do {
                    let article = try ArticleExtractor.extract([UInt8](response.body), url: response.finalURL,
                                                               httpCharset: response.headers.charset)
                    page.title = article.title
                    page.text = article.text
                    result = .text(article.text)
                } catch {
                    result = .failed("page: \(error.reason)")
                }
            } else {
                let refused = [401, 402, 403, 451].contains(response.status)
                result = .failed("page HTTP \(response.status)" + (refused ? " (paywall or refused)" : ""))
            }
        } catch let e as HTTPError {
            switch e.kind {
            case .timeout: result = .failed("page timeout")
            case .tooLarge: result = .failed("page larger than \(limits.maxPageBytes) bytes")
            case .cancelled: return .failed("page cancelled")
            default: result = .failed("page \(e.kind.rawValue): \(e.message)")
            }
        } catch {
            result = .failed("page: \(error)")
        }
        if case .failed(let why) = result { page.failure = why }
        do { try store.savePage(page) } catch {
            logger.warning("cannot cache an article page", metadata: ["page.url": "\(link)", "error": "\(error)"])
        }
        return result
    }

    /// The robots.txt rules for feedwatch on `hostKey`: fetched once per day per host (an hour
    /// after a failure), shared by the pages asking meanwhile. 4xx means no rules; 5xx or no
    /// answer means none of the site may be read (RFC 9309).
    private func robotsTxt(_ hostKey: String, deadline: ContinuousClock.Instant) async -> RobotsTxt {
        let t = now()
        if let known = robots[hostKey], known.expires > t { return await known.task.value }
        // One entry per host whose pages were read this day: dropped once stale, so a long run
        // over many hosts keeps only the recent ones.
        if robots.count >= 4096 { robots = robots.filter { $0.value.expires > t } }
        let remaining = max(deadline - ContinuousClock.now, .milliseconds(100))
        let request = HTTPRequest(url: hostKey + "/robots.txt", connectTimeout: min(remaining, .seconds(10)),
                                  totalTimeout: remaining, maxBodyBytes: RobotsTxt.maxBytes, maxRedirects: 5)
        let transport = self.transport
        count("pages.robots_requests")
        let task = Task { () -> (RobotsTxt, Bool) in
            do {
                let response = try await transport.send(request)
                switch response.status {
                case 200..<300:
                    return (RobotsTxt(String(decoding: response.body, as: UTF8.self), agent: Self.robotsAgent), true)
                case 400..<500: return (.allowAll, true)
                default: return (.disallowAll, false)
                }
            } catch {
                return (.disallowAll, false)
            }
        }
        let rules = Task { await task.value.0 }
        robots[hostKey] = (rules, t.addingTimeInterval(86400))
        let (parsed, answered) = await task.value
        if !answered { robots[hostKey] = (rules, t.addingTimeInterval(3600)) }
        return parsed
    }

    /// A transfer slot for `hostKey` within both limits, waiting until `deadline` at most.
    /// Polled rather than queued: pages are few, and a poll can give up at the deadline.
    private func acquire(_ hostKey: String, until deadline: ContinuousClock.Instant) async -> Bool {
        while true {
            if inFlight < limits.concurrency, perHost[hostKey, default: 0] < limits.perHost {
                inFlight += 1
                perHost[hostKey, default: 0] += 1
                return true
            }
            guard ContinuousClock.now < deadline, !Task.isCancelled else { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    private func release(_ hostKey: String) {
        inFlight -= 1
        let left = perHost[hostKey, default: 1] - 1
        perHost[hostKey] = left > 0 ? left : nil
    }

    private func count(_ name: String) {
        do { try store.incrementCounter(name) } catch {
            logger.warning("cannot count", metadata: ["counter": "\(name)", "error": "\(error)"])
        }
    }
}

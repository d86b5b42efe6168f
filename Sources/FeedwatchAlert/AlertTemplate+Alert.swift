import FeedwatchModel
import Foundation

/// How a rendered message is fitted to its channel's limit. The template is rendered again with
/// fewer outlet lines (the rest counted in `more`) and then a shorter headline until it fits, so
/// the link is never cut: the same rule as `TextBudget`, and the same bytes for the same layout.
public struct TemplateFit: Sendable {
    public enum Shortened: Sendable { case headline, context }

    /// Nil: no limit (a webhook payload).
    public var limit: Int?
    public var measure: @Sendable (String) -> Int
    /// Which part gives way when even no outlet lines are not enough.
    public var shortened: Shortened
    /// The headline's length at most, whatever the room (ntfy titles, Teams cards).
    public var headlineCap: Int?

    public init(limit: Int?, measure: @escaping @Sendable (String) -> Int = { $0.utf16.count },
                shortened: Shortened = .headline, headlineCap: Int? = nil) {
        self.limit = limit
        self.measure = measure
        self.shortened = shortened
        self.headlineCap = headlineCap
    }

    public static let unlimited = TemplateFit(limit: nil)
}

extension AlertTemplate {
    /// The alert rendered and fitted; a JSON template's output compacted and checked.
    ///   - payload: the alert's JSON as queued (`{{{payload}}}`); encoded afresh when nil.
    public func render(_ alert: Alert, sink: String, fit: TemplateFit = .unlimited,
                       payload: Data? = nil) throws(TemplateError) -> String {
        let json = (payload.flatMap { $0.isEmpty ? nil : $0 } ?? (try? AlertPayload.encode(alert)))
            .map { String(decoding: $0, as: UTF8.self) }
        let m = AlertMessage(alert)
        let misses = TemplateMisses()
        let head = fit.shortened == .headline ? m.headline : m.context
        let cap = fit.shortened == .headline ? fit.headlineCap : nil
        func render(_ cut: Int?, _ shown: Int) throws(TemplateError) -> String {
            let c = [cut, cap].compactMap { $0 }.min()
            let scope = TemplateFields.scope(alert, message: m, sink: sink, payload: json, shown: shown,
                                             headline: fit.shortened == .headline ? TextBudget.prefix(m.headline, c) : nil,
                                             context: fit.shortened == .context ? TextBudget.prefix(m.context, c) : nil,
                                             headlineCap: fit.shortened == .context ? fit.headlineCap : nil,
                                             misses: misses)
            let out = try self.render(scope, misses: misses)
            return escaping == .json ? try compactJSON(out) : out
        }
        let all = m.lines.count
        let whole = try render(nil, all)
        guard let limit = fit.limit, fit.measure(whole) > limit else { return whole }
        var cut: Int?
        if fit.measure(try render(nil, 0)) > limit {
            var lo = 0, hi = min(head.count, cap ?? head.count)
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if fit.measure(try render(mid, 0)) <= limit { lo = mid } else { hi = mid - 1 }
            }
            cut = lo
        }
        var shown = 0
        while shown < all, fit.measure(try render(cut, shown + 1)) <= limit { shown += 1 }
        let out = try render(cut, shown)
        guard fit.measure(out) > limit, escaping != .json else { return out }
        return Self.hardCut(out, keeping: m.link, limit: limit, measure: fit.measure)
    }

    /// A template whose fixed text alone exceeds the limit: cut the text, still never the link.
    static func hardCut(_ s: String, keeping link: String?, limit: Int, measure: (String) -> Int) -> String {
        var body = s
        var tail = ""
        if let link, let r = s.range(of: link, options: .backwards) {
            body = String(s[..<r.lowerBound]) + String(s[r.upperBound...])
            tail = "\n" + link
        }
        var lo = 0, hi = body.count
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if measure(String(body.prefix(mid)) + "…" + tail) <= limit { lo = mid } else { hi = mid - 1 }
        }
        return String(body.prefix(lo)) + "…" + tail
    }
}

/// The names an alert template can use. Message parts (`headline`, `context`, `lines`, `more`) are
/// what the built-in messages are made of, already fitted to the channel; the alert's own fields
/// are there too, under the names of its JSON form.
enum TemplateFields {
    static func scope(_ a: Alert, message m: AlertMessage, sink: String, payload: String?, shown: Int, headline: String?, context: String?,
                      headlineCap: Int?, misses: TemplateMisses) -> TemplateScope {
        let hidden = m.lines.count - shown + m.unlisted
        let lines = m.lines.prefix(shown).map { l in
            TemplateScope(["outlet": l.outlet, "title": l.title, "link": l.link])
        }
        let reports = (a.reports ?? []).map { r in TemplateScope(["outlet": r.outlet, "title": r.title, "link": r.link]) }
        let items = (a.items ?? []).map { i in
            TemplateScope(["title": i.title, "link": i.link, "source": i.source, "topic": i.topic,
                           "score": String(format: "%.1f", i.score), "id": i.id])
        }
        let values: [String: Any?] = [
            // Message parts, fitted.
            "headline": headline ?? TextBudget.prefix(m.headline, headlineCap),
            "context": context ?? m.context,
            "lines": lines,
            "more": hidden > 0 ? AlertMessage.more(hidden) : nil,
            "more_count": hidden > 0 ? String(hidden) : nil,
            // The alert.
            "id": a.id, "delivery_id": a.deliveryID, "kind": a.kind.rawValue,
            "route_kind": AlertRoute.kind(of: a).rawValue,
            "is_alert": a.kind == .alert, "is_update": a.kind == .update, "is_digest": a.kind == .digest,
            "topic": a.topic, "score": String(format: "%.1f", a.score), "score_raw": String(a.score),
            "title": a.title, "link": a.link, "link_note": a.linkNote, "source": a.source, "story": a.story,
            "outlets": a.outlets.map(TemplateValue.init), "outlet_count": String(a.outlets.count),
            "outlet_list": a.outlets.joined(separator: ", "),
            "matched": a.matched.map(TemplateValue.init), "matched_list": a.matched.joined(separator: ", "),
            "report_count": String(a.reportCount ?? a.reports?.count ?? a.outlets.count),
            "reports": reports, "items": items, "item_count": a.items.map { String($0.count) },
            "update": a.update.map(String.init),
            "published": a.published.map(RFC3339.format),
            "published_short": a.published.map(AlertFormatter.shortTime),
            "alerted": RFC3339.format(a.alerted), "alerted_short": AlertFormatter.shortTime(a.alerted),
            "fetched": RFC3339.format(a.fetched), "updated": a.updated.map(RFC3339.format),
            "lag": a.published.flatMap { p in
                a.alerted >= p ? AlertFormatter.duration(a.alerted.timeIntervalSince(p)) : nil },
            "sink": sink,
            "payload": payload,
        ]
        return TemplateScope(values, recordingMissesIn: misses)
    }

    /// The names of an outlet line, a report and a digest item.
    static let itemNames = ["outlet", "title", "link", "source", "topic", "score", "id"]

    /// Every name at the root.
    static let names = ["headline", "context", "lines", "more", "more_count", "id", "delivery_id", "kind", "route_kind",
                        "is_alert", "is_update", "is_digest", "topic", "score", "score_raw", "title", "link", "link_note",
                        "source", "story", "outlets", "outlet_count", "outlet_list", "matched", "matched_list",
                        "report_count", "reports", "items", "item_count", "update", "published", "published_short",
                        "alerted", "alerted_short", "fetched", "updated", "lag", "sink", "payload"]
}

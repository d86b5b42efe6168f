import FeedwatchModel
import Foundation

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

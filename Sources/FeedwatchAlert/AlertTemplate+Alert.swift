import FeedwatchModel
import Foundation

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

/// Fits a message into a channel's length limit without ever cutting its link: the headline is
/// shortened (with "…"), outlet lines are dropped from the end and counted in one
/// "… N more outlets" line, and the tail (the link) is kept whole.
public struct TextBudget: Sendable {
    /// The channel's limit, in the unit `measure` counts.
    public var limit: Int
    public var separator: String
    public var measure: @Sendable (String) -> Int

    public init(limit: Int, separator: String = "\n", measure: @escaping @Sendable (String) -> Int = { $0.utf16.count }) {
        self.limit = limit
        self.separator = separator
        self.measure = measure
    }

    /// `head(nil)` renders the whole headline, `head(n)` its first `n` characters plus "…";
    /// `lines` are rendered outlet lines, `unlisted` outlets already left out, `more(k)` renders
    /// "… k more outlets", `tail` (rendered link, maybe empty) is never shortened.
    public func compose(head: (Int?) -> String, headLength: Int, lines: [String], unlisted: Int,
                        more: (Int) -> String, tail: String) -> String {
        let sep = measure(separator)
        let tailCost = tail.isEmpty ? 0 : measure(tail) + sep
        func moreCost(_ k: Int) -> Int { k > 0 ? measure(more(k)) + sep : 0 }
        // The headline first, shortened only if it cannot fit beside the link and a "more" line.
        let room = limit - tailCost - moreCost(lines.count + unlisted)
        var headText = head(nil)
        if measure(headText) > room {
            var lo = 0, hi = headLength
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if measure(head(mid)) <= room { lo = mid } else { hi = mid - 1 }
            }
            headText = head(lo)
        }
        var parts = [headText]
        var used = measure(headText) + tailCost
        var shown = 0
        for line in lines {
            let rest = lines.count - shown - 1 + unlisted
            guard used + sep + measure(line) + moreCost(rest) <= limit else { break }
            parts.append(line)
            used += sep + measure(line)
            shown += 1
        }
        let hidden = lines.count - shown + unlisted
        if hidden > 0 { parts.append(more(hidden)) }
        if !tail.isEmpty { parts.append(tail) }
        return parts.joined(separator: separator)
    }

    /// The first `n` characters of `s`, with "…" when that cut something.
    public static func prefix(_ s: String, _ n: Int?) -> String {
        guard let n, n < s.count else { return s }
        return String(s.prefix(max(n, 0))) + "…"
    }
}

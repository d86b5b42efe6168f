import Foundation
import Yams

/// Walks a composed YAML tree, collecting every problem with its position
/// instead of stopping at the first. Each accessor returns nil after
/// recording a diagnostic, so callers fall back to defaults and carry on.
final class YAMLReader {
    let file: String
    private(set) var diagnostics: [ConfigDiagnostic] = []

    init(file: String) { self.file = file }

    func error(_ node: Node?, _ message: String) {
        let mark = node?.mark
        diagnostics.append(ConfigDiagnostic(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, message: message))
    }

    func error(at mark: Mark, _ message: String) {
        diagnostics.append(ConfigDiagnostic(file: file, line: mark.line, column: mark.column, message: message))
    }

    /// The key/value pairs of a mapping; unknown keys are errors, so typos never pass silently.
    func mapping(_ node: Node, what: String, allowed: Set<String>) -> [String: (key: Node, value: Node)]? {
        guard let m = node.mapping else {
            error(node, "\(what) must be a mapping")
            return nil
        }
        var out: [String: (key: Node, value: Node)] = [:]
        for (k, v) in m {
            guard let name = k.scalar?.string else {
                error(k, "\(what): keys must be strings")
                continue
            }
            if !allowed.contains(name) {
                let hint = Self.closest(name, in: allowed).map { " (did you mean '\($0)'?)" } ?? ""
                error(k, "unknown key '\(name)' in \(what)\(hint)")
                continue
            }
            out[name] = (k, v)
        }
        return out
    }

    func string(_ node: Node, what: String) -> String? {
        guard let s = node.scalar?.string, node.tag.rawValue != Tag.Name.null.rawValue else {
            error(node, "\(what) must be a string")
            return nil
        }
        let trimmed = Self.trim(s)
        guard !trimmed.isEmpty else {
            error(node, "\(what) must not be empty")
            return nil
        }
        return trimmed
    }

    func strings(_ node: Node, what: String) -> [String]? {
        if node.scalar != nil { return string(node, what: what).map { [$0] } }
        guard let seq = node.sequence else {
            error(node, "\(what) must be a list of strings")
            return nil
        }
        return seq.compactMap { string($0, what: what) }
    }

    func duration(_ node: Node, what: String, min: TimeInterval = 0) -> TimeInterval? {
        guard let s = node.scalar?.string, let d = Quantity.duration(s) else {
            error(node, "\(what) must be a duration such as 30s, 5m, 6h or 7d")
            return nil
        }
        guard d >= min else {
            error(node, "\(what) must be at least \(Quantity.format(duration: min))")
            return nil
        }
        return d
    }

    func bytes(_ node: Node, what: String) -> Int? {
        guard let s = node.scalar?.string, let b = Quantity.bytes(s), b > 0 else {
            error(node, "\(what) must be a size such as 10MiB or 1048576")
            return nil
        }
        return b
    }

    func int(_ node: Node, what: String, range: ClosedRange<Int>) -> Int? {
        guard let s = node.scalar?.string, let n = Int(s) else {
            error(node, "\(what) must be a whole number")
            return nil
        }
        guard range.contains(n) else {
            error(node, "\(what) must be between \(range.lowerBound) and \(range.upperBound)")
            return nil
        }
        return n
    }

    func double(_ node: Node, what: String, range: ClosedRange<Double>) -> Double? {
        guard let s = node.scalar?.string, let n = Double(s) else {
            error(node, "\(what) must be a number")
            return nil
        }
        guard range.contains(n) else {
            error(node, "\(what) must be between \(range.lowerBound) and \(range.upperBound)")
            return nil
        }
        return n
    }

    /// Spaces and tabs off both ends (Foundation's trimming is slow on Linux, and
    /// a 10,000-source config calls this 20,000 times).
    static func trim(_ s: String) -> String {
        guard let first = s.firstIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        let last = s.lastIndex(where: { $0 != " " && $0 != "\t" })!
        return first == s.startIndex && last == s.index(before: s.endIndex) ? s : String(s[first...last])
    }

    /// The allowed key within edit distance 2 of a typo, for the hint.
    static func closest(_ word: String, in candidates: Set<String>) -> String? {
        candidates.map { ($0, distance(word, $0)) }.filter { $0.1 <= 2 }.min { $0.1 < $1.1 }?.0
    }

    private static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var prev = row[0]
            row[0] = i
            for j in 1...max(b.count, 1) where !b.isEmpty {
                let cur = row[j]
                row[j] = Swift.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1))
                prev = cur
            }
        }
        return row[b.count]
    }
}

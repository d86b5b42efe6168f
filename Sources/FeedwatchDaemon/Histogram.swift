/// A Prometheus histogram: cumulative counts under fixed upper bounds, their sum and count.
struct Histogram: Sendable {
    let bounds: [Double]
    private(set) var counts: [Int]
    private(set) var sum = 0.0
    private(set) var count = 0

    init(bounds: [Double]) {
        self.bounds = bounds
        counts = Array(repeating: 0, count: bounds.count)
    }

    mutating func observe(_ value: Double) {
        guard value.isFinite else { return }
        sum += value
        count += 1
        if let i = bounds.firstIndex(where: { value <= $0 }) { counts[i] += 1 }
    }

    /// The text-format lines, `# HELP` and `# TYPE` included.
    func render(_ name: String, help: String) -> String {
        var s = "# HELP \(name) \(help)\n# TYPE \(name) histogram\n"
        var running = 0
        for (bound, n) in zip(bounds, counts) {
            running += n
            s += "\(name)_bucket{le=\"\(Self.number(bound))\"} \(running)\n"
        }
        s += "\(name)_bucket{le=\"+Inf\"} \(count)\n\(name)_sum \(Self.number(sum))\n\(name)_count \(count)\n"
        return s
    }

    static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : "\(v)"
    }

    /// Fetches: 10 ms to 1 min.
    static func fetchSeconds() -> Histogram { Histogram(bounds: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]) }
    /// Published to alerted: 10 s to a day.
    static func latencySeconds() -> Histogram {
        Histogram(bounds: [10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 86400])
    }
}

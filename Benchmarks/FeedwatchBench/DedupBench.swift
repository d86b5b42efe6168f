import ArgumentParser
import FeedwatchDedup
import FeedwatchModel
import FeedwatchTestSupport
import Foundation

/// `feedwatch-bench dedup`: stories/s through `Deduplicator.add` (text extraction included) and the
/// cost of one lookup-and-insert at two index sizes, on synthetic wire copy.
struct DedupBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dedup",
        abstract: "Dedup throughput (one core) and per-story cost at a small vs a large index."
    )

    @Option(help: "Index size of the first cost measurement.")
    var small = 10_000
    @Option(help: "Index size of the second cost measurement.")
    var large = 1_000_000
    @Option(help: "Stories measured at each size (half copies of indexed stories, half new).")
    var probes = 5_000

    func run() async throws {
        var gen = DedupSyntheticWire(seed: 42)
        let dedup = Deduplicator()
        let t0 = Date(timeIntervalSince1970: 1_795_000_000)
        var added = 0
        var recent: [Story] = []
        func fill(to target: Int) -> (cpu: Double, wall: Double) {
            let c0 = DedupRusage.cpuSeconds(), w0 = Date()
            while added < target {
                let story = gen.story(id: "s\(added)", copyOf: added % 5 == 4 ? recent.randomElement(using: &gen.rng) : nil)
                _ = dedup.add(story, at: t0 + Double(added))
                if recent.count < 1000 { recent.append(story) } else { recent[added % 1000] = story }
                added += 1
            }
            return (DedupRusage.cpuSeconds() - c0, Date().timeIntervalSince(w0))
        }
        func probe(_ label: String) -> Double {
            // Stories generated up front so only dedup is timed; the index is snapshotted and
            // restored so probes do not grow it.
            let base = added
            let stories = (0..<probes).map { i in
                gen.story(id: "p\(label)\(i)", copyOf: i % 2 == 0 ? recent[i % recent.count] : nil)
            }
            var dups = 0
            let c0 = DedupRusage.cpuSeconds()
            for (i, s) in stories.enumerated() where dedup.add(s, at: t0 + Double(base + i)).duplicateOf != nil { dups += 1 }
            let cpu = DedupRusage.cpuSeconds() - c0
            added += probes
            let micros = cpu / Double(probes) * 1e6
            emit(String(format: "  at %8d stories indexed: %7.1f µs CPU per story (%d of %d found duplicate)",
                         base, micros, dups, probes))
            return micros
        }

        emit("dedup benchmark: synthetic wire copy (~60–220 words, 20% republished copies during fill)")
        let warm = fill(to: small)
        emit(String(format: "  fill to %d: %.0f stories/s (%.2f s CPU, %.2f s wall)",
                     small, Double(small) / warm.cpu, warm.cpu, warm.wall))
        let atSmall = probe("a")
        let big = fill(to: large)
        emit(String(format: "  fill to %d: %.0f stories/s (%.1f s CPU, %.1f s wall)",
                     large, Double(large - small - probes) / big.cpu, big.cpu, big.wall))
        let atLarge = probe("b")
        emit(String(format: "  cost ratio %d vs %d indexed: %.2f×", large, small, atLarge / atSmall))
        emit(String(format: "  resident memory with %d stories indexed: %.0f MB (peak so far %.0f MB)",
                    dedup.count, DedupRusage.residentMegabytes(), DedupRusage.peakRSSMegabytes()))
        let c0 = DedupRusage.cpuSeconds()
        let snapshot = dedup.snapshot()
        let snapCPU = DedupRusage.cpuSeconds() - c0
        emit(String(format: "  index: %d stories, snapshot %.1f MB (%.0f bytes/story) in %.2f s CPU",
                     dedup.count, Double(snapshot.count) / 1e6, Double(snapshot.count) / Double(dedup.count), snapCPU))
        emit(String(format: "  total CPU %.1f s, peak RSS %.0f MB", DedupRusage.cpuSeconds(), DedupRusage.peakRSSMegabytes()))
    }
}

/// One line to stdout, unbuffered, so progress shows when piped.
private func emit(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// getrusage figures for the whole process.
enum DedupRusage {
    static func cpuSeconds() -> Double {
        var u = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &u)
        return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6
            + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) / 1e6
    }

    /// Current resident set from /proc/self/statm (pages).
    static func residentMegabytes() -> Double {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let pages = statm.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) else { return 0 }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
    }

    static func peakRSSMegabytes() -> Double {
        var u = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &u)
        return Double(u.ru_maxrss) / 1024   // kilobytes on Linux
    }
}

/// Deterministic synthetic news: Zipf-distributed words, place names, and formulaic wire
/// sentences shared by many stories (so common shingles exist, as in real copy).
struct DedupSyntheticWire {
    var rng: SplitMix
    private let words: [String]
    private let places: [String]
    private let placeSet: Set<String>
    private let formulas: [String]
    private let cumulative: [Double]

    init(seed: UInt64) {
        rng = SplitMix(seed: seed)
        let syllables = ["ka", "lo", "mi", "dou", "ra", "se", "ti", "ban", "go", "né", "fa", "ou", "za", "ke", "mo",
                         "di", "a", "ré", "su", "ni", "ga", "to", "bé", "li"]
        var g = SplitMix(seed: seed ^ 0xABCDEF)
        var vocabulary = ["the", "of", "and", "to", "in", "a", "said", "on", "was", "that", "for", "by", "with", "le",
                          "la", "les", "des", "et", "a", "dans", "selon"]
        while vocabulary.count < 30_000 {
            vocabulary.append((0..<(2 + Int(g.next() % 3))).map { _ in syllables[Int(g.next() % UInt64(syllables.count))] }.joined())
        }
        words = vocabulary
        places = (0..<3_000).map { i in "Ville\(i)".replacingOccurrences(of: "Ville", with: ["Kou", "Dja", "Mé", "Tin", "Ga"][i % 5]) + "ra" }
        placeSet = Set(places)
        formulas = (0..<300).map { i in
            let w = (0..<8).map { k in vocabulary[100 + (i * 7 + k * 13) % 2_000] }
            return "The army said in a statement that \(w[0]) \(w[1]) had been \(w[2]), adding that \(w[3]) \(w[4]) \(w[5]) \(w[6]) \(w[7])."
        }
        var c: [Double] = []
        var total = 0.0
        for rank in 1...vocabulary.count { total += 1 / Double(rank); c.append(total) }
        cumulative = c.map { $0 / total }
    }

    private mutating func word() -> String {
        let u = Double(rng.next() % 1_000_000) / 1_000_000
        var lo = 0, hi = cumulative.count - 1
        while lo < hi { let mid = (lo + hi) / 2; if cumulative[mid] < u { lo = mid + 1 } else { hi = mid } }
        return words[lo]
    }

    private mutating func sentence(place: String? = nil) -> String {
        let n = 10 + Int(rng.next() % 18)
        var parts: [String] = []
        for i in 0..<n {
            if i == n / 2 { parts.append(place ?? places[Int(rng.next() % UInt64(places.count))]) } else { parts.append(word()) }
        }
        return parts.joined(separator: " ").capitalizedFirst + "."
    }

    mutating func story(id: String, copyOf original: Story?) -> Story {
        if let original {
            // A republication: new headline, chrome, sometimes truncated, one word changed.
            var paragraphs = (original.content ?? "").components(separatedBy: "\n\n")
            if rng.next() % 3 == 0, paragraphs.count > 1 { paragraphs.removeLast() }
            paragraphs[0] = paragraphs[0].replacingOccurrences(of: " the ", with: " a ")
            let content = "Skip to content\n\n" + paragraphs.joined(separator: "\n\n") + "\n\nShare this:\nFacebook\nTwitter"
            // Its headline names a place of the lead, as a rewritten headline does.
            let leadPlace = paragraphs[0].split(separator: " ").first { placeSet.contains(String($0)) }.map(String.init)
            return Story(id: id, title: sentence(place: leadPlace), content: content, link: "https://copy.example/\(id)", source: "copy", language: "en")
        }
        var paragraphs: [String] = []
        for _ in 0..<(2 + Int(rng.next() % 4)) {
            var p = [sentence(), sentence()]
            if rng.next() % 3 == 0 { p.append(formulas[Int(rng.next() % UInt64(formulas.count))]) }
            paragraphs.append(p.joined(separator: " "))
        }
        return Story(id: id, title: sentence(), content: paragraphs.joined(separator: "\n\n"),
                     link: "https://wire.example/\(id)", source: "wire", language: "en")
    }
}

private extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}

import Foundation

/// The labelled development sets in `Tests/DevSet`: `classify/devset-*.jsonl` (stories labelled on or off
/// the sahel-security topic) and `dedup/stories.jsonl` (duplicate groups and events, built by
/// `make_devset.py`). The text, dedup and classify tests all read them, so they sit beside those targets
/// and are read from the source tree (as the benchmarks do) rather than copied into each bundle.
public enum DevSet {
    /// `Tests/DevSet` in the checkout this was built from.
    public static var directory: URL { SourceTree.root.appendingPathComponent("Tests/DevSet") }

    /// A file of the set, e.g. `classify/devset-a.jsonl`.
    public static func url(_ path: String) -> URL { directory.appendingPathComponent(path) }

    /// The classification parts, A to J (see ClassifierQualityTests for what each samples).
    public static let classifyParts = ["devset-a", "devset-b", "devset-c", "devset-d", "devset-e", "devset-f",
                                       "devset-g", "devset-h", "devset-i", "devset-j"]
}

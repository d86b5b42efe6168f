/// Errors of the dedup stage.
public enum DedupError: Error, Equatable, CustomStringConvertible {
    /// A snapshot that is not ours, from another version, or cut short.
    case badSnapshot(String)

    public var description: String {
        switch self {
        case .badSnapshot(let why): "dedup: unreadable index snapshot: \(why)"
        }
    }
}

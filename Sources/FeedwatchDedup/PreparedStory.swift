import FeedwatchModel
import FeedwatchText

/// A story with its fingerprint computed. Fingerprinting is most of a story's dedup cost and
/// needs no index, so callers run `Deduplicator.prepare` off the task that owns the index
/// (the daemon does it in each fetch task, on every core) and hand the result to `add`.
public struct PreparedStory: Sendable {
    public let story: Story
    let fingerprint: Fingerprint

    /// The same fingerprint carried with another copy of the story (e.g. without its text).
    public func replacing(story: Story) -> PreparedStory {
        PreparedStory(story: story, fingerprint: fingerprint)
    }
}

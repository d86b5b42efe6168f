/// One indexed story as a value of its own: what a journal entry holds (the index itself keeps
/// stories in `StoryTable`'s columns).
struct StoryRecord: Sendable, Equatable {
    var id: String
    /// The id of the first story of its text (itself when it is original).
    var original: String
    /// The id of the first story of its event cluster.
    var cluster: String
    /// Arrival time, seconds since 1970.
    var time: Double
    var fingerprint: Fingerprint
}

import FeedwatchConfig
import FeedwatchModel
import FeedwatchStore
import Foundation
import Logging

/// Poison-source containment: a source whose content kills feedwatch while it is parsed cannot
/// crash-loop the service. A start that finds a parse note left (`CrashGuard`) counts a strike
/// against the source it names; a source with a strike is parsed alone (`WorkGate`), so a second
/// crash names it alone and quarantines it: its content is not parsed again until it changes
/// (compared by digest at each poll, with the backoff of a failing source) or
/// `feedwatch source release NAME` is run. The other sources keep being polled throughout.
extension PollService {
    /// Reads the notes a process that died mid-parse left, once per start.
    func applyCrashNotes() {
        guard !crashNotesApplied else { return }
        crashNotesApplied = true
        let t = now()
        for note in crashGuard.leftovers(among: scheduled.keys) {
            guard var entry = scheduled[note.url] else { continue }   // no longer configured
            var state = entry.state
            state.strikes += 1
            let source = entry.source
            var alert: Alert?
            if state.strikes >= Self.strikesToQuarantine {
                // Content that changes at every fetch (a build date) is tried again only after a
                // backoff that doubles with each crash: a crash loop becomes one crash a day at most.
                let backoff = min(86_400, (source.interval ?? config.schedule.defaultInterval) * pow(2, Double(state.strikes - Self.strikesToQuarantine)))
                state.nextPollAt = t.addingTimeInterval(backoff)
                entry.due = state.nextPollAt ?? t
                if !state.isQuarantined { alert = quarantineAlert(source, state, digest: note.digest, at: t) }
                state.quarantinedAt = state.quarantinedAt ?? t
                state.quarantineDigest = note.digest ?? state.quarantineDigest
                state.lastError = "quarantined: its content crashed feedwatch \(state.strikes) times while being parsed"
                logger.critical("source QUARANTINED: feedwatch died while parsing its content again; that content is not parsed until it changes (or `feedwatch source release`)",
                                metadata: ["source.id": "\(source.name)", "feed.url": "\(state.fetchURL)",
                                           "source.strikes": "\(state.strikes)", "content.digest": "\(note.digest ?? "?")"])
            } else {
                logger.error("feedwatch stopped while parsing this source's content: strike \(state.strikes) of \(Self.strikesToQuarantine); it is parsed alone from now on",
                             metadata: ["source.id": "\(source.name)", "feed.url": "\(state.fetchURL)"])
            }
            entry.state = state
            scheduled[note.url] = entry
            suspects.insert(note.url)
            save(state, ["crash_strikes": 1], source: source, health: alert)
        }
    }

    /// A quarantined source's state as the store has it now: `feedwatch source release` writes
    /// there while the daemon runs, and the release takes effect at the source's next poll.
    func refreshQuarantine(_ key: String) {
        guard let entry = scheduled[key], entry.state.isQuarantined,
              let stored = try? store.sourceState(url: key), !stored.isQuarantined else { return }
        scheduled[key]?.state.quarantinedAt = nil
        scheduled[key]?.state.quarantineDigest = nil
        scheduled[key]?.state.strikes = stored.strikes
        logger.notice("quarantine lifted by `feedwatch source release`", metadata: ["source.id": "\(entry.source.name)"])
    }

    func quarantineAlert(_ source: SourceConfig, _ state: SourceState, digest: String?, at t: Date) -> Alert {
        let case_ = "quarantine:\(source.url)@\(digest ?? String(Int(t.timeIntervalSince1970)))"
        return Alert(id: AlertID.make(topic: Self.healthTopic, cluster: case_), topic: Self.healthTopic,
                     score: Double(state.strikes), matched: [], story: case_,
                     title: "Source \(source.name) is QUARANTINED: its content crashed feedwatch \(state.strikes) times while being parsed; not parsed until it changes",
                     link: state.fetchURL, source: source.name, outlets: [source.name], published: nil,
                     fetched: t, alerted: t)
    }
}

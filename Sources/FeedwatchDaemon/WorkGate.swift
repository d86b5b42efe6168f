/// Lets a suspect source's parse run alone: a readers-writer gate over parsing.
///
/// A crash leaves a note for every source being parsed at that moment (`CrashGuard`), so a
/// poisoned feed parsed beside others casts suspicion on them too. Suspects are parsed alone,
/// so that the next crash, if it comes, names only the source that caused it. Waiting suspects
/// go first: parses that arrive after one wait behind it.
actor WorkGate {
    private var sharing = 0
    private var exclusive = false
    private var exclusiveWaiting = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func enter(alone: Bool) async {
        if alone {
            exclusiveWaiting += 1
            while exclusive || sharing > 0 { await withCheckedContinuation { waiters.append($0) } }
            exclusiveWaiting -= 1
            exclusive = true
        } else {
            while exclusive || exclusiveWaiting > 0 { await withCheckedContinuation { waiters.append($0) } }
            sharing += 1
        }
    }

    func leave(alone: Bool) {
        if alone { exclusive = false } else { sharing -= 1 }
        let woken = waiters
        waiters = []
        for w in woken { w.resume() }
    }
}

import Synchronization

/// A watchlist compiled the first time a story needs it, once, whichever thread asks first:
/// a daemon pass where every feed answers 304 classifies nothing and should not pay for it
/// (about 14 ms for the shipped watchlist, a tenth of such a pass's CPU).
final class LazyCompiledWatchlist: Sendable {
    private let watchlist: Watchlist
    private let compiled = Mutex<CompiledWatchlist?>(nil)

    init(_ watchlist: Watchlist) {
        self.watchlist = watchlist
    }

    var value: CompiledWatchlist {
        compiled.withLock { cached in
            if let cached { return cached }
            let built = CompiledWatchlist(watchlist)
            cached = built
            return built
        }
    }
}

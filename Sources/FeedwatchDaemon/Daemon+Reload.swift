import FeedwatchAlert
import FeedwatchClassify
import FeedwatchConfig
import Foundation
import Logging

extension Daemon {
    /// SIGHUP: re-reads both files. A valid pair replaces the running one whole
    /// (state is kept, changes are logged); an invalid one is refused with its
    /// problems and the old keeps running. Log files are reopened either way.
    public func reload() async {
        _ = notify.reloading(status: "reloading \(options.configPath)")
        defer { _ = notify.ready(status: "reload done") }
        await reopenLogs(reason: "SIGHUP")
        let next: Config
        let nextWatchlist: Watchlist
        do {
            (next, nextWatchlist) = try Self.load(options)
        } catch let e as LoadError {
            for p in e.problems { logger.error("reload refused: \(p)") }
            logger.error("reload refused; the previous config and watchlist keep running",
                         metadata: ["problems": "\(e.problems.count)"])
            return
        } catch {
            logger.error("reload refused; the previous config keeps running", metadata: ["error": "\(error)"])
            return
        }
        var accepted = next
        if next.stateDir != config.stateDir {
            logger.warning("state_dir changes take effect at restart", metadata: ["state_dir": "\(next.stateDir)"])
            accepted.stateDir = config.stateDir
        }
        let sinks: [any AlertSink]
        do {
            sinks = try SinkFactory.make(accepted, transport: transport)
        } catch {
            logger.error("reload refused: cannot open the new sinks; the previous config keeps running",
                         metadata: ["error": "\(error)"])
            return
        }
        // The dead-letter file lives beside the first file sink: it moves when that does.
        let deadLetterPath = SinkFactory.deadLetterPath(accepted)
        var deadLetters: DeadLetterLog?
        if await dispatcher.deadLetterPath != deadLetterPath {
            do {
                deadLetters = try DeadLetterLog(path: deadLetterPath)
            } catch {
                logger.error("reload refused: cannot open the new dead-letter file; the previous config keeps running",
                             metadata: ["error": "\(error)"])
                return
            }
        }
        // Built before anything is swapped: the watchlist is compiled off the poller's actor.
        let settings = PipelineSettings(config: accepted, watchlist: nextWatchlist)
        let changes = ReloadChanges(old: config, new: accepted, oldTopics: watchlist.topics, newTopics: nextWatchlist.topics)
        // Dispatcher first: once the poller runs the new config it may queue rows for a
        // new sink at once, and the dispatcher must already know that sink.
        await dispatcher.update(sinks: sinks, configuration: SinkFactory.dispatcherConfiguration(accepted, retry: retry),
                                deadLetters: deadLetters)
        await service.reload(config: accepted, settings: settings)
        config = accepted
        watchlist = nextWatchlist
        generation += 1
        logger.notice("reloaded", metadata: ["changes": "\(changes.summary)", "generation": "\(generation)"])
    }
}

/// What a reload changed, for the log line.
struct ReloadChanges: Equatable {
    var sourcesAdded: [String]
    var sourcesRemoved: [String]
    var topicsAdded: [String]
    var topicsRemoved: [String]
    /// Topics whose definition (terms, rules, threshold…) was edited.
    var topicsChanged: [String]
    var sinksChanged: Bool
    /// The settings sections that changed (limits, schedule…).
    var settingsChanged: [String]

    init(old: Config, new: Config, oldTopics: [Topic], newTopics: [Topic]) {
        let o = Set(old.sources.map(\.url)), n = Set(new.sources.map(\.url))
        sourcesAdded = new.sources.filter { !o.contains($0.url) }.map(\.name)
        sourcesRemoved = old.sources.filter { !n.contains($0.url) }.map(\.name)
        let oldNames = oldTopics.map(\.name), newNames = newTopics.map(\.name)
        topicsAdded = newNames.filter { !oldNames.contains($0) }
        topicsRemoved = oldNames.filter { !newNames.contains($0) }
        topicsChanged = newTopics.compactMap { topic in
            guard let before = oldTopics.first(where: { $0.name == topic.name }) else { return nil }
            return before.hasSameDefinition(as: topic) ? nil : topic.name
        }
        sinksChanged = old.sinks != new.sinks
        settingsChanged = [("limits", old.limits != new.limits), ("schedule", old.schedule != new.schedule),
                           ("catch_up", old.catchUp != new.catchUp), ("flood", old.flood != new.flood),
                           ("retention", old.retention != new.retention)].filter(\.1).map(\.0)
    }

    var summary: String {
        var parts: [String] = []
        if !sourcesAdded.isEmpty { parts.append("sources added: \(sourcesAdded.joined(separator: ", "))") }
        if !sourcesRemoved.isEmpty { parts.append("sources removed: \(sourcesRemoved.joined(separator: ", "))") }
        if !topicsAdded.isEmpty { parts.append("topics added: \(topicsAdded.joined(separator: ", "))") }
        if !topicsRemoved.isEmpty { parts.append("topics removed: \(topicsRemoved.joined(separator: ", "))") }
        if !topicsChanged.isEmpty { parts.append("topics edited: \(topicsChanged.joined(separator: ", "))") }
        if sinksChanged { parts.append("sinks changed") }
        if !settingsChanged.isEmpty { parts.append("settings changed: \(settingsChanged.joined(separator: ", "))") }
        return parts.isEmpty ? "no changes (watchlist re-read)" : parts.joined(separator: "; ")
    }
}

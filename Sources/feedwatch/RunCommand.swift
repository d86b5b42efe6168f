import ArgumentParser
import FeedwatchDaemon
import FeedwatchHTTP
import Foundation
import Logging

/// `feedwatch run`: the daemon (or one pass with --once).
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Poll the configured feeds and raise alerts until SIGTERM/SIGINT (or once, with --once).",
        discussion: """
        SIGHUP reloads the config and the watchlist (an invalid pair is refused and the old keeps running) \
        and reopens the log files; SIGUSR1 only reopens them (logrotate). Under systemd (Type=notify) it \
        reports READY/STATUS/RELOADING/STOPPING and feeds the watchdog.
        """
    )

    @Option(name: .long, help: "The config file.")
    var config: String

    @Option(name: .long, help: "State directory (overrides state_dir; systemd's $STATE_DIRECTORY).")
    var stateDir: String?

    @Option(name: .long, help: "Base directory for relative file sink paths (systemd's $LOGS_DIRECTORY).")
    var logDir: String?

    @Flag(name: .long, help: "Poll every source once, process, deliver, and exit.")
    var once = false

    @Option(name: .long, help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    func validate() throws {
        if Logger.Level(rawValue: logLevel) == nil { throw ValidationError("unknown --log-level '\(logLevel)'") }
    }

    func run() async throws {
        // First: from here on SIGTERM/SIGINT/SIGHUP/SIGUSR1 are queued for the daemon, never fatal.
        // `--once` has no graceful stop: it keeps the default dispositions (SIGINT ends it at once;
        // the store is safe against that, as against a crash).
        let signals = once ? nil : await DaemonSignals.trap()
        MallocTuning.apply()
        CurlGlobal.initialize()
        FeedwatchLogHandler.bootstrap(level: Logger.Level(rawValue: logLevel) ?? .info)
        let logger = Logger(label: "feedwatch")
        let daemon: Daemon
        do {
            daemon = try await Daemon(options: Daemon.Options(configPath: config, stateDir: stateDir, logDir: logDir),
                                      logger: logger)
        } catch let e as Daemon.LoadError {
            for p in e.problems { Terminal.standardError.write(p + "\n") }
            Terminal.standardError.write("run: the config or the watchlist is invalid (\(e.problems.count) problems); not starting\n")
            throw ExitCode(78)   // EX_CONFIG: systemd's Restart=on-failure still applies; the operator sees why
        } catch {
            Terminal.standardError.write("run: \(error)\n")
            throw ExitCode.failure
        }
        if once {
            let (processed, delivered) = await daemon.runOnce()
            logger.info("one pass done", metadata: [
                "entries": "\(processed.entries)", "new": "\(processed.new)", "duplicates": "\(processed.duplicates)",
                "alerts": "\(processed.alerts)", "copies": "\(processed.copies)", "backlog": "\(processed.backlog)",
                "delivered": "\(delivered.delivered)", "retried": "\(delivered.retried)", "dead": "\(delivered.dead)",
            ])
            return
        }
        do {
            try await daemon.run(signals: signals)
        } catch {
            Terminal.standardError.write("run: \(error)\n")
            throw ExitCode.failure
        }
    }
}

import Foundation
import Testing

/// The shipped unit file, checked with systemd-analyze by scripts/check-systemd.
@Suite("systemd unit")
struct SdNotifyUnitFileTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let hasAnalyze = FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze")

    @Test("feedwatch.service: exposure <= 2.0 and verify prints nothing", .enabled(if: hasAnalyze))
    func checkSystemd() throws {
        let p = Process()
        p.executableURL = Self.root.appendingPathComponent("scripts/check-systemd")
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(text)")
        #expect(text.contains("verify: clean"))
    }

    @Test("The unit is Type=notify with a watchdog and reload by SIGHUP")
    func unitShape() throws {
        let unit = try String(contentsOf: Self.root.appendingPathComponent("systemd/feedwatch.service"), encoding: .utf8)
        let lines = Set(unit.split(separator: "\n").map(String.init))
        for required in ["Type=notify", "NotifyAccess=main", "ExecReload=/bin/kill -HUP $MAINPID", "DynamicUser=yes",
                         "StateDirectory=feedwatch", "LogsDirectory=feedwatch", "ConfigurationDirectory=feedwatch"] {
            #expect(lines.contains(required), "missing \(required)")
        }
        #expect(lines.contains { $0.hasPrefix("WatchdogSec=") })
        #expect(lines.contains("ExecStart=/usr/local/bin/feedwatch run --config ${CONFIGURATION_DIRECTORY}/feedwatch.yaml --state-dir ${STATE_DIRECTORY} --log-dir ${LOGS_DIRECTORY}"))
        let rotate = try String(contentsOf: Self.root.appendingPathComponent("systemd/feedwatch.logrotate"), encoding: .utf8)
        #expect(!rotate.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces) == "copytruncate" })
        #expect(rotate.contains("--signal=USR1 feedwatch.service"))
    }
}

import FeedwatchModel
import FeedwatchStore
import Foundation

extension PostgresStore {
    public func alert(id: String) throws -> Alert? {
        try locked {
            try connection.queryOne("SELECT json FROM alerts WHERE id = $1", [.text(id)]) { try decode($0.string(0)) }
        }
    }

    public func alertedStories(since: Date? = nil) throws -> Set<String> {
        try locked {
            let rows = try connection.query("SELECT story, report FROM alerts" + (since == nil ? "" : " WHERE alerted_at >= $1"),
                                            since.map { [.date($0)] } ?? []) { [$0.string(0), $0.string(1)] }
            return Set(rows.joined().compactMap { $0 })
        }
    }

    /// Stores a new alert; false, changing nothing, when one with the same id exists. The primary
    /// key decides between instances: a concurrent insert of the same id waits for the first
    /// transaction and then inserts nothing.
    @discardableResult
    public func insertAlert(_ alert: Alert, report: String? = nil) throws -> Bool {
        let json = try encode(alert)
        let reports = Int64(alert.reportCount ?? alert.reports?.count ?? 1)
        return try locked {
            try connection.run("""
                INSERT INTO alerts(id, topic, story, report, alerted_at, copies, json, reports, sent_reports, sent_at)
                VALUES($1, $2, $3, $4, $5, 1, $6, $7, $7, $5) ON CONFLICT(id) DO NOTHING
                """, [.text(alert.id), .text(alert.topic), .text(alert.story), .string(report),
                      .date(alert.alerted), .text(json), .int(reports)]) == 1
        }
    }

    /// Counts a later copy or report of an alerted story, as `StateStore.addOutlet` does. The row
    /// is locked while it is read, changed and written, so concurrent updates from several
    /// instances are applied one after the other and none is lost.
    @discardableResult
    public func addOutlet(alertID: String, outlet: String, link: String? = nil, title: String? = nil) throws -> Bool {
        try transaction {
            let found = try connection.queryOne("SELECT reports, json FROM alerts WHERE id = $1 FOR UPDATE",
                                                [.text(alertID)]) { ($0.int(0), try decode($0.string(1))) }
            guard let (reports, stored) = found else { return false }
            var alert = stored
            if alert.reports?.contains(where: { $0.outlet == outlet && $0.link == link }) == true {
                try connection.run("UPDATE alerts SET copies = copies + 1 WHERE id = $1", [.text(alertID)])
                return true
            }
            if alert.reports == nil {
                // Stored before alerts listed their reports: the first one is the alert's own.
                alert.reports = [Alert.Report(outlet: alert.source, link: alert.link, title: alert.title)]
            }
            if !alert.outlets.contains(outlet) { alert.outlets.append(outlet) }
            if reports < Alert.maxReports { alert.reports?.append(Alert.Report(outlet: outlet, link: link, title: title)) }
            alert.reportCount = reports + 1
            try connection.run("UPDATE alerts SET copies = copies + 1, reports = reports + 1, json = $2 WHERE id = $1",
                               [.text(alertID), .text(try encode(alert))])
            return true
        }
    }

    public func copies(alertID: String) throws -> Int? {
        try locked {
            try connection.queryOne("SELECT copies FROM alerts WHERE id = $1", [.text(alertID)]) { $0.int(0) }
        }
    }

    public func recentAlerts(limit: Int) throws -> [Alert] {
        try locked {
            try connection.query("SELECT json FROM alerts ORDER BY alerted_at DESC, id LIMIT $1",
                                 [.int(limit)]) { try decode($0.string(0)) }
        }
    }

    public func alertCount() throws -> Int {
        try locked { try connection.queryOne("SELECT count(*) FROM alerts") { $0.int(0) } ?? 0 }
    }

    // MARK: - Updates

    public func dueUpdates(sentBefore: Date, limit: Int) throws -> [String] {
        try locked {
            try connection.query("""
                SELECT id FROM alerts WHERE reports > sent_reports AND sent_at <= $1 ORDER BY sent_at, id LIMIT $2
                """, [.date(sentBefore), .int(limit)]) { $0.string(0) ?? "" }
        }
    }

    /// Records that an update of `alertID` is queued; one statement, so two instances taking the
    /// same update get numbers 1 and 2, never both 1.
    public func takeUpdate(alertID: String, at: Date) throws -> (number: Int, alert: Alert)? {
        try locked {
            let row = try connection.queryOne("""
                UPDATE alerts SET sent_reports = reports, sent_at = $2, updates = updates + 1 WHERE id = $1
                RETURNING updates, json
                """, [.text(alertID), .date(at)]) { r in (r.int(0), r.string(1)) }
            guard let row else { return nil }
            return (row.0, try decode(row.1))
        }
    }

    public func updateState(alertID: String) throws -> (reports: Int, sent: Int, updates: Int)? {
        try locked {
            try connection.queryOne("SELECT reports, sent_reports, updates FROM alerts WHERE id = $1", [.text(alertID)]) {
                ($0.int(0), $0.int(1), $0.int(2))
            }
        }
    }

    private func encode(_ a: Alert) throws -> String {
        do { return String(decoding: try JSONEncoder().encode(a), as: UTF8.self) } catch {
            throw StoreError(code: 0, path: location, message: "encode alert \(a.id): \(error)")
        }
    }

    private func decode(_ s: String?) throws -> Alert {
        do { return try JSONDecoder().decode(Alert.self, from: Data((s ?? "").utf8)) } catch {
            throw StoreError(code: 0, path: location, message: "decode stored alert: \(error)")
        }
    }
}

import FeedwatchModel
import Foundation

extension StateStore {
    /// The alert with this id, as last stored (outlets included).
    public func alert(id: String) throws -> Alert? {
        try locked {
            try connection.queryOne("SELECT json FROM alerts WHERE id = ?", [.text(id)]) { r in
                try Self.decode(r.data(0) ?? Data())
            }
        }
    }

    /// The stories alerts raised since `since` were raised on (all kept alerts when nil): each
    /// alert's event cluster and the report that raised it (when recorded).
    public func alertedStories(since: Date? = nil) throws -> Set<String> {
        try locked {
            let rows = try connection.query("SELECT story, report FROM alerts" + (since == nil ? "" : " WHERE alerted_at >= ?"),
                                            since.map { [.date($0)] } ?? []) { [$0.string(0), $0.string(1)] }
            return Set(rows.joined().compactMap { $0 })
        }
    }

    /// Stores a new alert, and the id of the report that raised it when it is not the cluster's
    /// first. Returns false (and changes nothing) if one with the same id exists: alert ids are
    /// stable, so a re-poll cannot alert twice.
    @discardableResult
    public func insertAlert(_ alert: Alert, report: String? = nil) throws -> Bool {
        let json = try Self.encode(alert)
        return try locked {
            try connection.run("""
                INSERT OR IGNORE INTO alerts(id, topic, story, report, alerted_at, copies, json) VALUES(?,?,?,?,?,1,?)
                """, [.text(alert.id), .text(alert.topic), .text(alert.story), .string(report),
                      .date(alert.alerted), .blob(json)]) == 1
        }
    }

    /// Counts a later copy of an alerted story: bumps its copy count and adds `outlet` to its
    /// outlets if new. Returns false when no alert has that id.
    ///
    /// One statement, the JSON edited in place by SQLite: a story reported by forty outlets
    /// used to decode and re-encode its alert forty times, on the serial path of a cold start.
    @discardableResult
    public func addOutlet(alertID: String, outlet: String) throws -> Bool {
        try locked {
            try connection.run("""
                UPDATE alerts SET copies = copies + 1, json = CASE
                    WHEN EXISTS (SELECT 1 FROM json_each(CAST(alerts.json AS TEXT), '$.outlets') WHERE value = ?2) THEN json
                    ELSE json_insert(CAST(json AS TEXT), '$.outlets[#]', ?2) END
                WHERE id = ?1
                """, [.text(alertID), .text(outlet)]) > 0
        }
    }

    /// How many copies of the alerted story were seen (1 = only the first report).
    public func copies(alertID: String) throws -> Int? {
        try locked {
            try connection.queryOne("SELECT copies FROM alerts WHERE id = ?", [.text(alertID)]) { $0.int(0) }
        }
    }

    /// The newest alerts first.
    public func recentAlerts(limit: Int) throws -> [Alert] {
        try locked {
            try connection.query("SELECT json FROM alerts ORDER BY alerted_at DESC, id LIMIT ?",
                                 [.int(limit)]) { try Self.decode($0.data(0) ?? Data()) }
        }
    }

    /// The number of stored alerts.
    public func alertCount() throws -> Int {
        try locked { try connection.queryOne("SELECT count(*) FROM alerts") { $0.int(0) } ?? 0 }
    }

    private static func encode(_ a: Alert) throws -> Data {
        do { return try JSONEncoder().encode(a) } catch {
            throw StoreError(code: 0, path: "alerts", message: "encode alert \(a.id): \(error)")
        }
    }

    private static func decode(_ d: Data) throws -> Alert {
        do { return try JSONDecoder().decode(Alert.self, from: d) } catch {
            throw StoreError(code: 0, path: "alerts", message: "decode stored alert: \(error)")
        }
    }
}

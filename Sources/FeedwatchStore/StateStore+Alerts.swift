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
    /// stable, so a re-poll cannot alert twice. The alert counts as sent now (`alerted`): its first
    /// update is due `alerts.update_interval` later.
    @discardableResult
    public func insertAlert(_ alert: Alert, report: String? = nil) throws -> Bool {
        let json = try Self.encode(alert)
        let reports = Int64(alert.reportCount ?? alert.reports?.count ?? 1)
        return try locked {
            try connection.run("""
                INSERT OR IGNORE INTO alerts(id, topic, story, report, alerted_at, copies, json, reports, sent_reports, sent_at)
                VALUES(?1,?2,?3,?4,?5,1,?6,?7,?7,?5)
                """, [.text(alert.id), .text(alert.topic), .text(alert.story), .string(report),
                      .date(alert.alerted), .blob(json), .integer(reports)]) == 1
        }
    }

    /// Counts a later copy or report of an alerted story: bumps its copy count, adds `outlet` to
    /// its outlets if new and, when no report from that outlet has this link yet, adds the report
    /// (outlet, link, headline): that is what makes an update due. Returns false when no alert has
    /// that id.
    ///
    /// SQLite edits the JSON in place: a story reported by forty outlets used to decode and
    /// re-encode its alert forty times, on the serial path of a cold start.
    @discardableResult
    public func addOutlet(alertID: String, outlet: String, link: String? = nil, title: String? = nil) throws -> Bool {
        try locked {
            let found = try connection.queryOne("""
                SELECT reports, json_type(CAST(json AS TEXT), '$.reports') IS NOT NULL,
                       EXISTS (SELECT 1 FROM json_each(CAST(alerts.json AS TEXT), '$.outlets') WHERE value = ?2),
                       EXISTS (SELECT 1 FROM json_each(CAST(alerts.json AS TEXT), '$.reports')
                               WHERE json_extract(value, '$.outlet') = ?2 AND json_extract(value, '$.link') IS ?3)
                FROM alerts WHERE id = ?1
                """, [.text(alertID), .text(outlet), .string(link)]) { r in
                (reports: r.int(0), listed: r.int(1) != 0, knownOutlet: r.int(2) != 0, knownReport: r.int(3) != 0)
            }
            guard let found else { return false }
            guard !found.knownReport else {
                _ = try connection.run("UPDATE alerts SET copies = copies + 1 WHERE id = ?1", [.text(alertID)])
                return true
            }
            var json = "CAST(json AS TEXT)"
            // SQLite refuses to bind a parameter the statement does not use: bind up to the last used.
            var used = 1
            if !found.listed {
                // Stored before alerts listed their reports: the first one is the alert's own.
                json = """
                    json_set(\(json), '$.reports', json_array(json_object('outlet', json_extract(CAST(json AS TEXT), '$.source'),
                        'link', json_extract(CAST(json AS TEXT), '$.link'), 'title', json_extract(CAST(json AS TEXT), '$.title'))))
                    """
            }
            if !found.knownOutlet {
                json = "json_insert(\(json), '$.outlets[#]', ?2)"
                used = 2
            }
            if found.reports < Alert.maxReports {
                json = "json_insert(\(json), '$.reports[#]', json_object('outlet', ?2, 'link', ?3, 'title', ?4))"
                used = 4
            }
            json = "json_set(\(json), '$.report_count', reports + 1)"
            return try connection.run("UPDATE alerts SET copies = copies + 1, reports = reports + 1, json = \(json) WHERE id = ?1",
                                      Array([.text(alertID), .text(outlet), .string(link), .string(title)].prefix(used))) > 0
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

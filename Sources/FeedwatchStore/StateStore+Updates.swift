import FeedwatchModel
import Foundation

extension StateStore {
    /// Alerts whose reports grew since their last delivery was queued at or before `sentBefore`: the
    /// updates due, longest-waiting first. Reads only the partial index of alerts with news.
    public func dueUpdates(sentBefore: Date, limit: Int) throws -> [String] {
        try locked {
            try connection.query("""
                SELECT id FROM alerts WHERE reports > sent_reports AND sent_at <= ?1 ORDER BY sent_at, id LIMIT ?2
                """, [.date(sentBefore), .int(limit)]) { $0.string(0) ?? "" }
        }
    }

    /// Records that an update of `alertID` is queued at `at` with every report seen so far, and
    /// returns it as stored (kind still `alert`) with its number: 1 for the first update, then 2…
    /// Nil when no alert has that id.
    public func takeUpdate(alertID: String, at: Date) throws -> (number: Int, alert: Alert)? {
        try locked {
            let row = try connection.queryOne("""
                UPDATE alerts SET sent_reports = reports, sent_at = ?2, updates = updates + 1 WHERE id = ?1
                RETURNING updates, json
                """, [.text(alertID), .date(at)]) { r in (r.int(0), r.data(1) ?? Data()) }
            guard let row else { return nil }
            do {
                return (row.0, try JSONDecoder().decode(Alert.self, from: row.1))
            } catch {
                throw StoreError(code: 0, path: "alerts", message: "decode stored alert \(alertID): \(error)")
            }
        }
    }

    /// Reports seen, reports the last delivery listed, and updates queued, for one alert.
    public func updateState(alertID: String) throws -> (reports: Int, sent: Int, updates: Int)? {
        try locked {
            try connection.queryOne("SELECT reports, sent_reports, updates FROM alerts WHERE id = ?", [.text(alertID)]) {
                ($0.int(0), $0.int(1), $0.int(2))
            }
        }
    }
}

/// The schema, as an ordered list of steps: `PRAGMA user_version` is the number
/// applied. Append only; never edit a step that has shipped.
enum Migrations {
    static let steps: [String] = [
        // 1: sources, seen entries, blobs, alerts, outbox, counters.
        """
        CREATE TABLE sources(
            url TEXT PRIMARY KEY,
            current_url TEXT,
            etag TEXT,
            last_modified TEXT,
            last_success REAL,
            last_attempt REAL,
            consecutive_failures INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            next_poll_at REAL,
            gone INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;
        CREATE TABLE seen(
            source_url TEXT NOT NULL,
            entry_id TEXT NOT NULL,
            first_seen REAL NOT NULL,
            last_seen REAL NOT NULL,
            PRIMARY KEY(source_url, entry_id)
        ) WITHOUT ROWID;
        CREATE INDEX seen_last_seen ON seen(last_seen);
        CREATE TABLE blobs(
            name TEXT PRIMARY KEY,
            data BLOB NOT NULL,
            updated_at REAL NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE alerts(
            id TEXT PRIMARY KEY,
            topic TEXT NOT NULL,
            story TEXT NOT NULL,
            alerted_at REAL NOT NULL,
            copies INTEGER NOT NULL DEFAULT 1,
            json BLOB NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX alerts_alerted_at ON alerts(alerted_at);
        CREATE TABLE outbox(
            id INTEGER PRIMARY KEY,
            alert_id TEXT NOT NULL,
            sink TEXT NOT NULL,
            payload BLOB NOT NULL,
            created_at REAL NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at REAL NOT NULL,
            lease_until REAL,
            delivered_at REAL,
            dead_at REAL,
            last_error TEXT,
            UNIQUE(alert_id, sink)
        );
        CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE delivered_at IS NULL AND dead_at IS NULL;
        CREATE TABLE counters(
            name TEXT PRIMARY KEY,
            value INTEGER NOT NULL
        ) WITHOUT ROWID;
        """,
        // 2: the dedup index's journal: stories indexed since its last snapshot, written with
        // their seen marks so a crash between snapshots cannot make a seen story unknown to dedup.
        """
        CREATE TABLE dedup_journal(
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            data BLOB NOT NULL
        );
        """,
        // 3: the dedup index's snapshot in pieces of about a megabyte, so neither writing nor
        // reading it holds a second copy of the whole index in memory (one blob did, twice).
        """
        CREATE TABLE dedup_snapshot(
            seq INTEGER PRIMARY KEY,
            data BLOB NOT NULL
        );
        """,
        // 4: the report that raised each alert (its cluster is `story`): both stay pinned in the
        // dedup index after a restart, as they are while the daemon runs. NULL for older alerts.
        """
        ALTER TABLE alerts ADD COLUMN report TEXT;
        """,
        // 5: alert updates. `reports` counts the story's distinct reports (outlet, link) seen so far,
        // `sent_reports` how many the last delivery (the alert or its latest update) listed, `sent_at`
        // when it was queued: an update is due when reports grew and `alerts.update_interval` has
        // passed. Existing alerts count as sent, so an upgrade does not update every old alert.
        """
        ALTER TABLE alerts ADD COLUMN reports INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE alerts ADD COLUMN sent_reports INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE alerts ADD COLUMN sent_at REAL;
        ALTER TABLE alerts ADD COLUMN updates INTEGER NOT NULL DEFAULT 0;
        UPDATE alerts SET sent_at = alerted_at;
        CREATE INDEX alerts_update_due ON alerts(sent_at) WHERE reports > sent_reports;
        """,
        // 6: poison-source containment: crashes a source's content caused (strikes) and, once
        // quarantined, the digest of the content that did it (cleared when the content changes).
        """
        ALTER TABLE sources ADD COLUMN strikes INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE sources ADD COLUMN quarantined_at REAL;
        ALTER TABLE sources ADD COLUMN quarantine_digest TEXT;
        """,
        // 7: article pages read behind teaser entries (`full_text`): the extracted text (or why
        // there is none) per canonical URL, with its validators for a conditional GET, kept for
        // the stories' retention window; and each host's page requests per UTC day (its budget).
        """
        CREATE TABLE pages(
            url TEXT PRIMARY KEY,
            host TEXT NOT NULL,
            fetched_at REAL NOT NULL,
            etag TEXT,
            last_modified TEXT,
            title TEXT,
            text TEXT,
            failure TEXT
        ) WITHOUT ROWID;
        CREATE INDEX pages_fetched_at ON pages(fetched_at);
        CREATE TABLE page_budget(
            host TEXT NOT NULL,
            day INTEGER NOT NULL,
            requests INTEGER NOT NULL,
            PRIMARY KEY(host, day)
        ) WITHOUT ROWID;
        """,
        // 8: prune finds delivered and dead-lettered deliveries past the alert window through
        // these instead of reading the whole outbox history (as PostgreSQL's step 6).
        """
        CREATE INDEX outbox_delivered ON outbox(delivered_at) WHERE delivered_at IS NOT NULL;
        CREATE INDEX outbox_dead ON outbox(dead_at) WHERE dead_at IS NOT NULL;
        """,
    ]
}

/// The PostgreSQL schema as ordered steps, versioned like the SQLite store's (`schema_version`
/// holds the number applied). Append only; never edit a step that has shipped.
///
/// Times are float8 seconds since 1970, as in SQLite, so both stores read and write the same
/// values. Step 1 is the SQLite schema at its version 6, plus what sharing needs: source and
/// outbox leases (owner, until) and the instances' heartbeats.
enum PostgresMigrations {
    static let steps: [String] = [
        """
        CREATE TABLE sources(
            url text PRIMARY KEY,
            current_url text,
            etag text,
            last_modified text,
            last_success float8,
            last_attempt float8,
            consecutive_failures integer NOT NULL DEFAULT 0,
            last_error text,
            next_poll_at float8,
            gone boolean NOT NULL DEFAULT false,
            strikes integer NOT NULL DEFAULT 0,
            quarantined_at float8,
            quarantine_digest text,
            lease_owner text,
            lease_until float8
        );
        CREATE INDEX sources_due ON sources(next_poll_at) WHERE NOT gone;
        CREATE INDEX sources_lease_owner ON sources(lease_owner) WHERE lease_owner IS NOT NULL;
        CREATE TABLE seen(
            source_url text NOT NULL,
            entry_id text NOT NULL,
            first_seen float8 NOT NULL,
            last_seen float8 NOT NULL,
            PRIMARY KEY(source_url, entry_id)
        );
        CREATE INDEX seen_last_seen ON seen(last_seen);
        CREATE TABLE blobs(
            name text PRIMARY KEY,
            data bytea NOT NULL,
            updated_at float8 NOT NULL
        );
        CREATE TABLE alerts(
            id text PRIMARY KEY,
            topic text NOT NULL,
            story text NOT NULL,
            report text,
            alerted_at float8 NOT NULL,
            copies integer NOT NULL DEFAULT 1,
            json text NOT NULL,
            reports integer NOT NULL DEFAULT 1,
            sent_reports integer NOT NULL DEFAULT 1,
            sent_at float8,
            updates integer NOT NULL DEFAULT 0
        );
        CREATE INDEX alerts_alerted_at ON alerts(alerted_at);
        CREATE INDEX alerts_update_due ON alerts(sent_at) WHERE reports > sent_reports;
        CREATE TABLE outbox(
            id bigserial PRIMARY KEY,
            alert_id text NOT NULL,
            sink text NOT NULL,
            payload bytea NOT NULL,
            created_at float8 NOT NULL,
            attempts integer NOT NULL DEFAULT 0,
            next_attempt_at float8 NOT NULL,
            lease_owner text,
            lease_until float8,
            delivered_at float8,
            dead_at float8,
            last_error text,
            UNIQUE(alert_id, sink)
        );
        CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE delivered_at IS NULL AND dead_at IS NULL;
        CREATE TABLE counters(
            name text PRIMARY KEY,
            value bigint NOT NULL
        );
        CREATE TABLE dedup_journal(
            seq bigserial PRIMARY KEY,
            data bytea NOT NULL
        );
        CREATE TABLE dedup_snapshot(
            seq bigint PRIMARY KEY,
            data bytea NOT NULL
        );
        CREATE TABLE instances(
            id text PRIMARY KEY,
            host text NOT NULL,
            pid integer NOT NULL,
            started_at float8 NOT NULL,
            heartbeat_at float8 NOT NULL,
            last_poll_at float8
        );
        """,
        // 2: article pages read behind teaser entries (`full_text`), as SQLite's step 7: the text
        // (or why there is none) per canonical URL, and each host's requests per UTC day.
        """
        CREATE TABLE pages(
            url text PRIMARY KEY,
            host text NOT NULL,
            fetched_at float8 NOT NULL,
            etag text,
            last_modified text,
            title text,
            text text,
            failure text
        );
        CREATE INDEX pages_fetched_at ON pages(fetched_at);
        CREATE TABLE page_budget(
            host text NOT NULL,
            day bigint NOT NULL,
            requests integer NOT NULL,
            PRIMARY KEY(host, day)
        );
        """,
        // 3: each source's host (of the URL it is fetched from), so that claims can keep the
        // number of fetches in flight per host under a limit across instances.
        """
        ALTER TABLE sources ADD COLUMN host text GENERATED ALWAYS AS
            (lower(substring(coalesce(current_url, url) from '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^@/?#]*@)?([^/:?#]*)'))) STORED;
        CREATE INDEX sources_leased_host ON sources(host) WHERE lease_owner IS NOT NULL;
        """,
        // 4: each instance's server process, so that the others see at once when its connection
        // ended (a killed instance) instead of waiting for its leases to run out.
        """
        ALTER TABLE instances ADD COLUMN backend_pid integer;
        """,
        // 5: claims take due sources in this order (`claimDueSources`), so a claim reads the first
        // due rows of the index and stops instead of scanning and sorting every source. A pass
        // claims a few sources at a time (the per-host limit), so without it a pass cost grew
        // with the square of the sources: at 10,000 all due, ~40 ms a claim, 55 s all-304.
        """
        CREATE INDEX sources_claim_order ON sources(next_poll_at NULLS FIRST, url) WHERE NOT gone;
        """,
        // 6: prune deletes delivered and dead outbox rows past the alert window; without these it
        // read the whole outbox history at every prune (each `run --once`, hourly in the daemon):
        // 219 ms at 250,000 delivered rows, 0.1 ms with them.
        """
        CREATE INDEX outbox_delivered_at ON outbox(delivered_at) WHERE delivered_at IS NOT NULL;
        CREATE INDEX outbox_dead_at ON outbox(dead_at) WHERE dead_at IS NOT NULL;
        """,
    ]
}

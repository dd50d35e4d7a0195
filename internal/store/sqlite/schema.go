package sqlite

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations are applied in order; migrations[i] brings the schema from
// version i to i+1. A released migration is never edited: changes are
// new entries.
var migrations = []string{
	// v1: scans with their full JSON document, devices with the
	// identifiers that tell them apart across scans, one observation per
	// device per scan, and the findings for the history queries.
	`CREATE TABLE scans (
		id            INTEGER PRIMARY KEY,
		started       TEXT    NOT NULL, -- RFC 3339 as in the document
		started_ns    INTEGER NOT NULL, -- for ordering
		finished      TEXT    NOT NULL,
		scope         TEXT    NOT NULL,
		tool_version  TEXT    NOT NULL,
		interrupted   INTEGER NOT NULL,
		devices       INTEGER NOT NULL,
		sev_info      INTEGER NOT NULL,
		sev_low       INTEGER NOT NULL,
		sev_medium    INTEGER NOT NULL,
		sev_high      INTEGER NOT NULL,
		sev_critical  INTEGER NOT NULL,
		doc           BLOB    NOT NULL  -- camwarden.scan/v1 JSON, redacted
	);
	CREATE INDEX scans_started ON scans(started_ns, id);
	CREATE INDEX scans_scope ON scans(scope, started_ns);
	CREATE TABLE devices (
		id         INTEGER PRIMARY KEY,
		key        TEXT    NOT NULL UNIQUE,
		serial     TEXT    NOT NULL,
		mac        TEXT    NOT NULL,
		address    TEXT    NOT NULL, -- last seen
		vendor     TEXT    NOT NULL, -- last seen, lower-case
		model      TEXT    NOT NULL, -- last seen, lower-case
		first_scan INTEGER NOT NULL REFERENCES scans(id),
		last_scan  INTEGER NOT NULL REFERENCES scans(id)
	);
	CREATE INDEX devices_serial ON devices(serial) WHERE serial <> '';
	CREATE INDEX devices_mac ON devices(mac) WHERE mac <> '';
	CREATE INDEX devices_place ON devices(address, vendor, model);
	CREATE TABLE device_observations (
		id        INTEGER PRIMARY KEY,
		scan_id   INTEGER NOT NULL REFERENCES scans(id),
		device_id INTEGER NOT NULL REFERENCES devices(id),
		address   TEXT    NOT NULL,
		firmware  TEXT    NOT NULL,
		verdicts  TEXT    NOT NULL, -- scorecard verdicts, "pass,fail,could-not-check"
		doc       BLOB    NOT NULL  -- {"device":...,"findings":[...]} from the scan
	);
	CREATE INDEX observations_device ON device_observations(device_id, scan_id);
	CREATE INDEX observations_scan ON device_observations(scan_id);
	CREATE INDEX observations_address ON device_observations(address);
	CREATE TABLE findings (
		scan_id        INTEGER NOT NULL REFERENCES scans(id),
		observation_id INTEGER REFERENCES device_observations(id), -- NULL: no device at that address
		address        TEXT    NOT NULL,
		finding_id     TEXT    NOT NULL,
		checkpoint     INTEGER NOT NULL,
		severity       INTEGER NOT NULL,
		port           INTEGER NOT NULL,
		protocol       TEXT    NOT NULL
	);
	CREATE INDEX findings_observation ON findings(observation_id);
	CREATE INDEX findings_scan ON findings(scan_id, severity);
	CREATE INDEX findings_id ON findings(finding_id, scan_id);`,
	// login_failures: every failed login (and lockout signal) of the
	// last day, written as it happens, so that the per-device login
	// budget holds across scans (engine.Ledger). No password is stored.
	`CREATE TABLE login_failures (
		id      INTEGER PRIMARY KEY,
		address TEXT    NOT NULL,
		serial  TEXT    NOT NULL, -- normalised, '' when not read
		mac     TEXT    NOT NULL, -- normalised, '' when not read
		account TEXT    NOT NULL, -- user name tried; '' for a lockout signal
		at_ns   INTEGER NOT NULL,
		signal  TEXT    NOT NULL  -- the device's lockout signal, '' for a failure
	);
	CREATE INDEX login_failures_address ON login_failures(address, at_ns);
	CREATE INDEX login_failures_serial ON login_failures(serial, at_ns) WHERE serial <> '';
	CREATE INDEX login_failures_mac ON login_failures(mac, at_ns) WHERE mac <> '';
	CREATE INDEX login_failures_at ON login_failures(at_ns);`,
	// v3: camwarden serve — sites and their schedules, audit runs (the
	// state that makes an interrupted audit re-run and never stored
	// twice), change alerts and their deliveries, dashboard users,
	// sessions, the audit log of actions, accepted risks, settings, and
	// the device index the dashboard pages in SQL.
	`CREATE TABLE sites (
		id               INTEGER PRIMARY KEY,
		name             TEXT    NOT NULL UNIQUE,
		doc              TEXT    NOT NULL, -- servedb.Site JSON: targets, excludes, depth, schedule...
		created_ns       INTEGER NOT NULL
	);
	CREATE TABLE audit_runs (
		id          INTEGER PRIMARY KEY,
		site_id     INTEGER NOT NULL,
		site        TEXT    NOT NULL,
		reason      TEXT    NOT NULL, -- schedule | manual
		state       TEXT    NOT NULL, -- queued | running | dispatched | done | failed
		due_ns      INTEGER NOT NULL,
		claimed_by  TEXT    NOT NULL DEFAULT '',
		attempts    INTEGER NOT NULL DEFAULT 0,
		started_ns  INTEGER NOT NULL DEFAULT 0,
		finished_ns INTEGER NOT NULL DEFAULT 0,
		scan_id     INTEGER REFERENCES scans(id),
		job_id      INTEGER NOT NULL DEFAULT 0,
		error       TEXT    NOT NULL DEFAULT ''
	);
	CREATE UNIQUE INDEX audit_runs_open ON audit_runs(site_id) WHERE state IN ('queued', 'running', 'dispatched');
	CREATE UNIQUE INDEX audit_runs_scan ON audit_runs(scan_id) WHERE scan_id IS NOT NULL;
	CREATE INDEX audit_runs_site ON audit_runs(site_id, id);
	CREATE INDEX audit_runs_state ON audit_runs(state, due_ns);
	CREATE TABLE alerts (
		id         INTEGER PRIMARY KEY,
		run_id     INTEGER NOT NULL,
		site       TEXT    NOT NULL,
		dedup      TEXT    NOT NULL UNIQUE,
		kind       TEXT    NOT NULL,
		severity   INTEGER NOT NULL,
		device_key TEXT    NOT NULL,
		doc        TEXT    NOT NULL, -- alert.Alert JSON
		created_ns INTEGER NOT NULL
	);
	CREATE INDEX alerts_run ON alerts(run_id);
	CREATE TABLE alert_deliveries (
		id         INTEGER PRIMARY KEY,
		run_id     INTEGER NOT NULL,
		channel    TEXT    NOT NULL,
		state      TEXT    NOT NULL, -- pending | sent | failed
		attempts   INTEGER NOT NULL DEFAULT 0,
		next_ns    INTEGER NOT NULL,
		sent_ns    INTEGER NOT NULL DEFAULT 0,
		last_error TEXT    NOT NULL DEFAULT '',
		UNIQUE (run_id, channel)
	);
	CREATE INDEX alert_deliveries_due ON alert_deliveries(state, next_ns);
	CREATE TABLE users (
		id         INTEGER PRIMARY KEY,
		name       TEXT    NOT NULL UNIQUE,
		role       TEXT    NOT NULL, -- admin | viewer
		hash       TEXT    NOT NULL, -- argon2id, PHC string
		created_ns INTEGER NOT NULL
	);
	CREATE TABLE sessions (
		token_hash TEXT    PRIMARY KEY, -- SHA-256 of the cookie value
		user_id    INTEGER NOT NULL,
		csrf       TEXT    NOT NULL,
		expires_ns INTEGER NOT NULL
	);
	CREATE TABLE actions (
		id      INTEGER PRIMARY KEY,
		at_ns   INTEGER NOT NULL,
		actor   TEXT    NOT NULL,
		address TEXT    NOT NULL,
		action  TEXT    NOT NULL,
		detail  TEXT    NOT NULL
	);
	CREATE INDEX actions_at ON actions(at_ns);
	CREATE TABLE acceptances (
		id         INTEGER PRIMARY KEY,
		device_key TEXT    NOT NULL,
		finding_id TEXT    NOT NULL,
		port       INTEGER NOT NULL,
		protocol   TEXT    NOT NULL,
		reason     TEXT    NOT NULL,
		expires_ns INTEGER NOT NULL,
		created_ns INTEGER NOT NULL,
		created_by TEXT    NOT NULL
	);
	CREATE INDEX acceptances_device ON acceptances(device_key, expires_ns);
	CREATE TABLE settings (
		key   TEXT PRIMARY KEY,
		value TEXT NOT NULL
	);
	CREATE TABLE device_index (
		device_id  INTEGER PRIMARY KEY,
		device_key TEXT    NOT NULL,
		scan_id    INTEGER NOT NULL,
		obs_id     INTEGER NOT NULL,
		site       TEXT    NOT NULL,
		address    TEXT    NOT NULL,
		addr_sort  TEXT    NOT NULL, -- 32 hex digits of the 16-byte address
		vendor     TEXT    NOT NULL,
		model      TEXT    NOT NULL,
		type       TEXT    NOT NULL,
		firmware   TEXT    NOT NULL,
		name       TEXT    NOT NULL, -- hostname or page title (device-controlled)
		v1         TEXT    NOT NULL, -- verdicts of checkpoints 1, 2, 3
		v2         TEXT    NOT NULL,
		v3         TEXT    NOT NULL,
		fails      INTEGER NOT NULL, -- checkpoints failed
		worst      INTEGER NOT NULL, -- worst finding severity, -1 none
		findings   INTEGER NOT NULL,
		seen_ns    INTEGER NOT NULL
	);
	CREATE INDEX device_index_rank ON device_index(worst DESC, fails DESC, addr_sort);
	CREATE INDEX device_index_site ON device_index(site, worst DESC, fails DESC, addr_sort);
	CREATE INDEX device_index_vendor ON device_index(vendor, addr_sort);
	CREATE INDEX device_index_addr ON device_index(addr_sort);
	CREATE INDEX device_index_obs ON device_index(obs_id);
	CREATE TABLE indexed_scans (scan_id INTEGER PRIMARY KEY); -- scans already in device_index`,
	// login_failures.domain: the account domain of the attempt (web,
	// RTSP and ONVIF share the device's accounts, telnet and SSH the
	// system's), each with its own device-wide cap; '' for older rows,
	// which count against every domain.
	`ALTER TABLE login_failures ADD COLUMN domain TEXT NOT NULL DEFAULT '';`,
	// pruned_kept: the retention policy (Prune) clears old scans'
	// documents and reduces their observations to a summary, except a
	// device's latest observation; those it lists here, to reduce them
	// once the device has been seen again without reading every old
	// observation each time.
	`CREATE TABLE pruned_kept (obs_id INTEGER PRIMARY KEY);`,
}

// SchemaVersion is the schema version this build writes.
func SchemaVersion() int { return len(migrations) }

// migrate brings the database to SchemaVersion in one transaction. It
// refuses a database written by a newer camwarden.
func migrate(ctx context.Context, db *sql.DB) (err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate: begin: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if _, err = tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: schema_version: %w", err)
	}
	var v int
	if err = tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&v); err != nil {
		return fmt.Errorf("migrate: read version: %w", err)
	}
	if v > len(migrations) {
		return fmt.Errorf("migrate: database schema v%d is newer than this camwarden's v%d", v, len(migrations))
	}
	for i := v; i < len(migrations); i++ {
		if _, err = tx.ExecContext(ctx, migrations[i]); err != nil {
			return fmt.Errorf("migrate to v%d: %w", i+1, err)
		}
	}
	if v < len(migrations) {
		if _, err = tx.ExecContext(ctx, `DELETE FROM schema_version`); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if _, err = tx.ExecContext(ctx, `INSERT INTO schema_version (version) VALUES (?)`, len(migrations)); err != nil {
			return fmt.Errorf("migrate: record version: %w", err)
		}
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("migrate: commit: %w", err)
	}
	return nil
}

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

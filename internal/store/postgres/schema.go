package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// migrations are applied in order; migrations[i] brings the schema from
// version i to i+1. A released migration is never edited. v1 mirrors
// internal/store/sqlite's v1 with PostgreSQL types.
var migrations = []string{
	`CREATE TABLE cw.scans (
		id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
		started       TEXT    NOT NULL, -- RFC 3339 as in the document
		started_ns    BIGINT  NOT NULL, -- for ordering
		finished      TEXT    NOT NULL,
		scope         TEXT    NOT NULL,
		tool_version  TEXT    NOT NULL,
		interrupted   BOOLEAN NOT NULL,
		devices       INTEGER NOT NULL,
		sev_info      INTEGER NOT NULL,
		sev_low       INTEGER NOT NULL,
		sev_medium    INTEGER NOT NULL,
		sev_high      INTEGER NOT NULL,
		sev_critical  INTEGER NOT NULL,
		doc           BYTEA   NOT NULL  -- camwarden.scan/v1 JSON, redacted
	);
	CREATE INDEX scans_started ON cw.scans(started_ns, id);
	CREATE INDEX scans_scope ON cw.scans(scope, started_ns);
	CREATE TABLE cw.devices (
		id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
		key        TEXT   NOT NULL UNIQUE,
		serial     TEXT   NOT NULL,
		mac        TEXT   NOT NULL,
		address    TEXT   NOT NULL, -- last seen
		vendor     TEXT   NOT NULL, -- last seen, lower-case
		model      TEXT   NOT NULL, -- last seen, lower-case
		first_scan BIGINT NOT NULL REFERENCES cw.scans(id),
		last_scan  BIGINT NOT NULL REFERENCES cw.scans(id)
	);
	CREATE INDEX devices_serial ON cw.devices(serial) WHERE serial <> '';
	CREATE INDEX devices_mac ON cw.devices(mac) WHERE mac <> '';
	CREATE INDEX devices_place ON cw.devices(address, vendor, model);
	CREATE TABLE cw.device_observations (
		id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
		scan_id   BIGINT NOT NULL REFERENCES cw.scans(id),
		device_id BIGINT NOT NULL REFERENCES cw.devices(id),
		address   TEXT   NOT NULL,
		firmware  TEXT   NOT NULL,
		verdicts  TEXT   NOT NULL, -- scorecard verdicts, "pass,fail,could-not-check"
		doc       BYTEA  NOT NULL  -- {"device":...,"findings":[...]} from the scan
	);
	CREATE INDEX observations_device ON cw.device_observations(device_id, scan_id);
	CREATE INDEX observations_scan ON cw.device_observations(scan_id);
	CREATE INDEX observations_address ON cw.device_observations(address);
	CREATE TABLE cw.findings (
		scan_id        BIGINT  NOT NULL REFERENCES cw.scans(id),
		observation_id BIGINT  REFERENCES cw.device_observations(id), -- NULL: no device at that address
		address        TEXT    NOT NULL,
		finding_id     TEXT    NOT NULL,
		checkpoint     INTEGER NOT NULL,
		severity       INTEGER NOT NULL,
		port           INTEGER NOT NULL,
		protocol       TEXT    NOT NULL
	);
	CREATE INDEX findings_observation ON cw.findings(observation_id);
	CREATE INDEX findings_scan ON cw.findings(scan_id, severity);
	CREATE INDEX findings_id ON cw.findings(finding_id, scan_id);`,
	// login_failures mirrors sqlite's: failed logins across scans, shared
	// by every worker of a fleet.
	`CREATE TABLE cw.login_failures (
		id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
		address TEXT   NOT NULL,
		serial  TEXT   NOT NULL,
		mac     TEXT   NOT NULL,
		account TEXT   NOT NULL,
		at_ns   BIGINT NOT NULL,
		signal  TEXT   NOT NULL
	);
	CREATE INDEX login_failures_address ON cw.login_failures(address, at_ns);
	CREATE INDEX login_failures_serial ON cw.login_failures(serial, at_ns) WHERE serial <> '';
	CREATE INDEX login_failures_mac ON cw.login_failures(mac, at_ns) WHERE mac <> '';
	CREATE INDEX login_failures_at ON cw.login_failures(at_ns);`,
}

// SchemaVersion is the schema version this build writes.
func SchemaVersion() int { return len(migrations) }

// lockKey is the advisory lock that serialises migrations and saves
// (one per schema, derived from its name by PostgreSQL's hashtext).
const lockSQL = `SELECT pg_advisory_xact_lock(hashtext('camwarden.store.' || $1))`

// migrate brings the schema to SchemaVersion in one transaction, holding
// the store's advisory lock so that workers starting together do not race.
// It refuses a schema written by a newer camwarden.
func (s *DB) migrate(ctx context.Context) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, lockSQL, s.schema); err != nil {
			return fmt.Errorf("migrate: lock: %w", err)
		}
		if _, err := tx.Exec(ctx, `CREATE SCHEMA IF NOT EXISTS `+pgx.Identifier{s.schema}.Sanitize()); err != nil {
			return fmt.Errorf("migrate: create schema: %w", err)
		}
		if _, err := tx.Exec(ctx, s.q(`CREATE TABLE IF NOT EXISTS cw.schema_version (version INTEGER NOT NULL)`)); err != nil {
			return fmt.Errorf("migrate: schema_version: %w", err)
		}
		var v int
		if err := tx.QueryRow(ctx, s.q(`SELECT COALESCE(MAX(version), 0) FROM cw.schema_version`)).Scan(&v); err != nil {
			return fmt.Errorf("migrate: read version: %w", err)
		}
		if v > len(migrations) {
			return fmt.Errorf("migrate: database schema v%d is newer than this camwarden's v%d", v, len(migrations))
		}
		for i := v; i < len(migrations); i++ {
			if _, err := tx.Exec(ctx, s.q(migrations[i])); err != nil {
				return fmt.Errorf("migrate to v%d: %w", i+1, err)
			}
		}
		if v == len(migrations) {
			return nil
		}
		if _, err := tx.Exec(ctx, s.q(`DELETE FROM cw.schema_version`)); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if _, err := tx.Exec(ctx, s.q(`INSERT INTO cw.schema_version (version) VALUES ($1)`), len(migrations)); err != nil {
			return fmt.Errorf("migrate: record version: %w", err)
		}
		return nil
	})
}

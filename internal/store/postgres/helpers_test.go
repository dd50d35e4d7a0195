//go:build integration

package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/camwarden/camwarden/internal/store"
)

// testURL is the PostgreSQL that scripts/peers/start-postgres.sh starts;
// CAMWARDEN_POSTGRES overrides it. A missing server fails the tests.
func testURL() string {
	if u := os.Getenv("CAMWARDEN_POSTGRES"); u != "" {
		return u
	}
	return "postgres://camwarden:camwarden@127.79.0.20:5432/camwarden"
}

// openTemp opens the store in a fresh schema of its own, dropped when the
// test ends, so that tests never see each other's rows.
func openTemp(t testing.TB) (*DB, string) {
	t.Helper()
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "cwtest_" + hex.EncodeToString(b[:])
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	db, err := Open(ctx, testURL(), Options{Schema: schema})
	if err != nil {
		t.Fatalf("%v (start it with scripts/peers/start-postgres.sh)", err)
	}
	t.Cleanup(func() {
		// t.Context is already done in Cleanup
		ctx, cancel := context.WithTimeout(context.WithoutCancel(t.Context()), 20*time.Second)
		defer cancel()
		if conn, err := pgx.Connect(ctx, testURL()); err == nil {
			_, _ = conn.Exec(ctx, `DROP SCHEMA `+pgx.Identifier{schema}.Sanitize()+` CASCADE`)
			_ = conn.Close(ctx)
		}
		_ = db.Close()
	})
	return db, schema
}

// openStore is openTemp as a storetest.Opener.
func openStore(tb testing.TB) store.Store {
	db, _ := openTemp(tb)
	return db
}

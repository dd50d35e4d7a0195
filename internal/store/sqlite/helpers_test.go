package sqlite

import (
	"path/filepath"
	"testing"

	"github.com/camwarden/camwarden/internal/store"
)

func openTemp(t testing.TB) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "camwarden.db")
	db, err := Open(t.Context(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db, path
}

// openStore is openTemp as a storetest.Opener.
func openStore(tb testing.TB) store.Store {
	db, _ := openTemp(tb)
	return db
}

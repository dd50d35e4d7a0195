package sqlite

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/camwarden/camwarden/internal/store/storetest"
)

// TestStore runs the conformance suite every store passes.
func TestStore(t *testing.T) { storetest.Run(t, openStore) }

func TestConcurrentSave(t *testing.T) {
	db, path := openTemp(t)
	other, err := Open(t.Context(), path, Options{}) // a second handle, as another process would
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	storetest.SaveConcurrently(t, db, other)
	var devices int
	if err := db.db.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM devices`).Scan(&devices); err != nil || devices != 5 {
		t.Errorf("%d devices (%v), want 5", devices, err)
	}
}

// TestSecretsNeverStored: neither the database file nor its WAL and
// shared-memory files hold a secret of the saved scan.
func TestSecretsNeverStored(t *testing.T) {
	db, path := openTemp(t)
	storetest.SaveSecrets(t, db)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		b, err := os.ReadFile(path + suffix)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range storetest.Secrets {
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("%s holds %s", filepath.Base(path+suffix), secret)
			}
		}
	}
}

func BenchmarkSaveScan500(b *testing.B) { storetest.BenchmarkSave(b, openStore) }

package servedb

import (
	"os"
	"testing"

	"github.com/camwarden/camwarden/internal/store/storetest"
)

// BenchmarkStoreSize saves scans of 1,000 devices (the lab's devices
// repeated, with their services and traces) as serve does, indexes them,
// checkpoints the WAL and reports the SQLite file's growth per 1,000
// devices per scan.
func BenchmarkStoreSize(b *testing.B) {
	db, st := openTemp(b)
	ctx := b.Context()
	scan := storetest.BigScan(b, 1000)
	n := 0
	for b.Loop() {
		if _, err := st.SaveScan(ctx, scan); err != nil {
			b.Fatal(err)
		}
		if _, err := db.IndexPending(ctx); err != nil {
			b.Fatal(err)
		}
		n++
	}
	if _, err := st.SQL().ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		b.Fatal(err)
	}
	fi, err := os.Stat(st.Path())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(fi.Size())/float64(n)/(1<<20), "MiB/1000dev/scan")
}

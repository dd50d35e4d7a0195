package servedb

import (
	"context"
	"errors"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/store"
	"github.com/camwarden/camwarden/internal/store/sqlite"
	"github.com/camwarden/camwarden/internal/store/storetest"
)

// fileSize checkpoints the WAL into the database file and returns the
// file's size.
func fileSize(t testing.TB, st *sqlite.DB) int64 {
	t.Helper()
	if _, err := st.SQL().ExecContext(t.Context(), `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(st.Path())
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// dailyScans saves n daily scans of devices devices as serve does
// (saved, then indexed), pruning what is older than keep after each
// when keep > 0, and returns the file size after each scan.
func dailyScans(t testing.TB, ctx context.Context, db *DB, st *sqlite.DB, devices, n int, keep time.Duration) []int64 {
	base := storetest.BigScan(t, devices)
	var sizes []int64
	for i := range n {
		s := *base
		shift := time.Duration(i) * 24 * time.Hour
		s.Started, s.Finished = base.Started.Add(shift), base.Finished.Add(shift)
		if _, err := st.SaveScan(ctx, &s); err != nil {
			t.Fatal(err)
		}
		if _, err := db.IndexPending(ctx); err != nil {
			t.Fatal(err)
		}
		if keep > 0 {
			if _, err := st.Prune(ctx, s.Started.Add(-keep)); err != nil {
				t.Fatal(err)
			}
		}
		sizes = append(sizes, fileSize(t, st))
	}
	return sizes
}

// TestRetentionFileGrowth: with a retention policy the SQLite file
// grows by the kept history rows only (observation summaries, findings
// rows), a small part of what the same scans grow it by when kept whole,
// because the freed pages are reused; VACUUM then shrinks it. The
// dashboard still shows every device with its latest observation whole.
func TestRetentionFileGrowth(t *testing.T) {
	const devices, scans, keep = 200, 24, 6 * 24 * time.Hour
	ctx := t.Context()
	dbAll, stAll := openTemp(t)
	all := dailyScans(t, ctx, dbAll, stAll, devices, scans, 0)
	db, st := openTemp(t)
	kept := dailyScans(t, ctx, db, st, devices, scans, keep)
	t.Logf("%d devices, daily: file after scans 12, 24: all kept %d, %d bytes; keep 6d %d, %d bytes",
		devices, all[11], all[23], kept[11], kept[23])
	growAll, growKept := all[23]-all[11], kept[23]-kept[11]
	if growAll < all[11]/2 {
		t.Fatalf("without retention the file grew from %d to %d bytes only: the test measures nothing", all[11], all[23])
	}
	if growKept > growAll/4 {
		t.Errorf("scans 12 to 24 grew the file by %d bytes with retention, %d without: want under a quarter", growKept, growAll)
	}
	if kept[23] > all[23]/2 {
		t.Errorf("with retention %d bytes, without %d: want under half", kept[23], all[23])
	}
	if err := st.Vacuum(ctx); err != nil {
		t.Fatal(err)
	}
	vac := fileSize(t, st)
	t.Logf("after VACUUM: %d bytes", vac)
	if vac >= kept[23] {
		t.Errorf("VACUUM left %d bytes of %d", vac, kept[23])
	}
	rows, total, err := db.Devices(ctx, DeviceFilter{Limit: 1000})
	if err != nil || total != devices || len(rows) != devices {
		t.Fatalf("dashboard devices after pruning: %d (%v), want %d", total, err, devices)
	}
	for _, r := range rows {
		dev, _, err := db.Observation(ctx, r.ObsID)
		if err != nil || len(dev.Services) == 0 {
			t.Fatalf("device %s: latest observation %d lost its services (%v)", r.Key, r.ObsID, err)
		}
	}
	metas, err := st.Scans(ctx, store.ScanFilter{})
	if err != nil || len(metas) != scans || !metas[scans-1].Pruned || metas[0].Pruned {
		t.Fatalf("scans listed after pruning: %d (%v)", len(metas), err)
	}
	if _, err := st.Scan(ctx, metas[scans-1].ID); !errors.Is(err, store.ErrPruned) {
		t.Errorf("oldest scan: %v, want ErrPruned", err)
	}
}

// TestRetentionKeepsSiteLatestAudit: a site's latest finished audit is
// kept whole however old, even when a newer scan of the same scope (a
// manual scan) was stored since: the next audit's alerts compare with it.
func TestRetentionKeepsSiteLatestAudit(t *testing.T) {
	db, st := openTemp(t)
	ctx := t.Context()
	site := addSite(t, db, "shop")
	if _, _, err := db.QueueRun(ctx, site, "manual", t0); err != nil {
		t.Fatal(err)
	}
	run, err := db.ClaimRun(ctx, "test", t0)
	if err != nil || run == nil {
		t.Fatalf("claim: %v %v", run, err)
	}
	old := storetest.LabScan(t)
	id, err := db.FinishRun(ctx, *run, old, t0, func(ctx context.Context, tx Tx, id store.ScanID) error {
		return tx.IndexScan(ctx, id, site.Name)
	})
	if err != nil {
		t.Fatal(err)
	}
	manual := storetest.LabScan(t)
	manual.Started = old.Started.Add(900 * 24 * time.Hour)
	if _, err := st.SaveScan(ctx, manual); err != nil {
		t.Fatal(err)
	}
	res, err := st.Prune(ctx, manual.Started.Add(-store.DefaultKeep))
	if err != nil {
		t.Fatal(err)
	}
	if res.Scans != 0 {
		t.Errorf("pruned %+v", res)
	}
	if _, err := st.Scan(ctx, id); err != nil {
		t.Errorf("the site's latest audit (scan %d): %v", id, err)
	}
}

// BenchmarkStoreSizeRetention reports the SQLite file after 30 daily
// scans of 1,000 devices, all kept and with a 7-day retention:
//
//	go test -run '^$' -bench StoreSizeRetention -benchtime 1x ./internal/store/servedb/
func BenchmarkStoreSizeRetention(b *testing.B) {
	for _, keep := range []time.Duration{0, 7 * 24 * time.Hour} {
		b.Run("keep="+strconv.Itoa(int(keep/(24*time.Hour)))+"d", func(b *testing.B) {
			var sizes []int64
			for b.Loop() {
				db, st := openTemp(b)
				sizes = dailyScans(b, b.Context(), db, st, 1000, 30, keep)
			}
			b.ReportMetric(float64(sizes[9])/(1<<20), "MiB@10scans")
			b.ReportMetric(float64(sizes[29])/(1<<20), "MiB@30scans")
		})
	}
}

package storetest

import (
	"bytes"
	"errors"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/report"
	"github.com/camwarden/camwarden/internal/store"
)

const day = 24 * time.Hour

// retentionScan is the lab scan started days after the fixture's start,
// with the given scope, the Hikvision and Dahua cameras' serials set,
// and without the Dahua camera (127.77.0.5) unless withDahua.
func retentionScan(t *testing.T, days int, scope string, withDahua bool) *report.Scan {
	t.Helper()
	s := LabScan(t)
	shift := time.Duration(days) * day
	s.Started, s.Finished, s.Scope = s.Started.Add(shift), s.Finished.Add(shift), scope
	Device(t, s, "127.77.0.2").Serial = SerialHik
	Device(t, s, "127.77.0.5").Serial = SerialDahua
	if !withDahua {
		dahua := netip.MustParseAddr("127.77.0.5")
		s.Devices = slices.DeleteFunc(s.Devices, func(d report.Device) bool { return d.Address == dahua })
		s.Findings = slices.DeleteFunc(s.Findings, func(f finding.Finding) bool { return f.Address == dahua })
	}
	s.Normalize()
	return s
}

// testRetention is the retention contract (store.Store's Prune): old
// scans lose their document but stay listed with their counts; the
// latest scan of each scope and each device's latest observation stay
// whole however old; a device's history still reads (a summary for
// pruned observations); a second Prune changes nothing; and an
// observation kept as its device's latest is reduced once the device is
// seen again.
func testRetention(t *testing.T, db store.Store) {
	ctx := t.Context()
	const scopeA, scopeB = "127.77.0.0/24", "127.77.0.0/28"
	scans := []*report.Scan{
		retentionScan(t, 0, scopeA, true),    // the Dahua camera's only sighting: its latest
		retentionScan(t, 10, scopeA, false),  // old, superseded: pruned
		retentionScan(t, 20, scopeB, false),  // old, but the latest of its scope
		retentionScan(t, 500, scopeA, false), // newer than the limit
	}
	var ids []store.ScanID
	for _, s := range scans {
		id, err := db.SaveScan(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	before := scans[0].Started.Add(450 * day)
	if res, err := db.Prune(ctx, time.Time{}); err != nil || res != (store.PruneResult{}) {
		t.Fatalf("Prune before the zero time: %+v, %v; want nothing pruned", res, err)
	}
	res, err := db.Prune(ctx, before)
	if err != nil {
		t.Fatal(err)
	}
	// scans 1 and 2 pruned; their observations reduced but the Dahua
	// camera's (4 + 4 of 9).
	if res != (store.PruneResult{Scans: 2, Observations: 8}) {
		t.Errorf("Prune: %+v, want 2 scans and 8 observations", res)
	}
	tests := []struct {
		name   string
		id     store.ScanID
		pruned bool
	}{
		{"first scan, superseded", ids[0], true},
		{"second scan, superseded", ids[1], true},
		{"old but latest of its scope", ids[2], false},
		{"newer than the limit", ids[3], false},
	}
	metas, err := db.Scans(ctx, store.ScanFilter{})
	if err != nil || len(metas) != len(ids) {
		t.Fatalf("Scans after Prune: %d (%v), want %d", len(metas), err, len(ids))
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := db.Scan(ctx, tc.id)
			if tc.pruned && !errors.Is(err, store.ErrPruned) {
				t.Errorf("Scan: %v, want ErrPruned", err)
			}
			if !tc.pruned && (err != nil || !bytes.Equal(JSONOf(t, got), JSONOf(t, scans[tc.id-ids[0]]))) {
				t.Errorf("Scan: %v, or the document changed", err)
			}
			i := slices.IndexFunc(metas, func(m store.ScanMeta) bool { return m.ID == tc.id })
			m := metas[i]
			want := scans[tc.id-ids[0]]
			if m.Pruned != tc.pruned || m.Devices != len(want.Devices) || m.Findings() != len(want.Problems()) {
				t.Errorf("listed as %+v; want pruned %v, %d devices, %d findings", m, tc.pruned, len(want.Devices), len(want.Problems()))
			}
		})
	}
	checkHistory(t, db, SerialHik, []bool{true, true, false, false})
	dahua := checkHistory(t, db, SerialDahua, []bool{false})
	if len(dahua[0].Device.Services) == 0 || dahua[0].Findings[0].Title.EN == "" {
		t.Error("the Dahua camera's latest observation lost its services or finding titles")
	}
	if res, err := db.Prune(ctx, before); err != nil || res != (store.PruneResult{}) {
		t.Errorf("second Prune: %+v, %v; want nothing more", res, err)
	}
	// The Dahua camera is seen again: its old observation is no longer
	// its latest, and the next Prune reduces it.
	if _, err := db.SaveScan(ctx, retentionScan(t, 600, scopeA, true)); err != nil {
		t.Fatal(err)
	}
	if res, err := db.Prune(ctx, before); err != nil || res != (store.PruneResult{Observations: 1}) {
		t.Errorf("Prune after the Dahua camera came back: %+v, %v; want 1 observation", res, err)
	}
	checkHistory(t, db, SerialDahua, []bool{true, false})
}

// checkHistory reads ref's history and checks which states are pruned
// summaries; a summary keeps the address, firmware, verdicts and finding
// IDs and diffs with its neighbour without error.
func checkHistory(t *testing.T, db store.Store, ref string, pruned []bool) []store.DeviceState {
	t.Helper()
	hist, err := db.DeviceHistory(t.Context(), ref)
	if err != nil {
		t.Fatalf("history of %s: %v", ref, err)
	}
	var got []bool
	for i, st := range hist {
		got = append(got, st.Pruned)
		if !st.Address.IsValid() || st.Device.Firmware == "" || len(st.Device.Scorecard) != 3 || len(st.Findings) == 0 ||
			st.Device.Scorecard[0].Verdict == "" || st.Findings[0].ID == "" {
			t.Errorf("%s state %d (scan %d) lost its summary: %+v", ref, i, st.Scan, st.Device)
		}
		if st.Pruned && (len(st.Device.Services) != 0 || st.Findings[0].Evidence != nil || st.Findings[0].Title.EN != "") {
			t.Errorf("%s state %d (scan %d) is marked pruned but holds details", ref, i, st.Scan)
		}
		if i > 0 {
			_ = store.DiffStates(hist[i-1], st) // must not panic on a summary
		}
	}
	if !slices.Equal(got, pruned) {
		t.Errorf("%s history pruned %v, want %v", ref, got, pruned)
	}
	return hist
}

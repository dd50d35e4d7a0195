//go:build integration

package postgres

import (
	"bytes"
	"errors"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/i18n"
	"github.com/camwarden/camwarden/internal/report"
	"github.com/camwarden/camwarden/internal/store"
)

// The tests below are the sqlite store's, run against PostgreSQL.

func TestRoundTripByteIdentical(t *testing.T) {
	db, _ := openTemp(t)
	ctx := t.Context()
	for _, tc := range []struct {
		name string
		scan *report.Scan
	}{
		{"lab scan", labScan(t)},
		{"500 devices", bigScan(t, 500)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := jsonOf(t, tc.scan)
			id, err := db.SaveScan(ctx, tc.scan)
			if err != nil {
				t.Fatal(err)
			}
			got, err := db.Scan(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(jsonOf(t, got), want) {
				t.Fatal("stored scan does not re-render byte-identically as JSON")
			}
			for _, lang := range i18n.Langs() {
				var a, b bytes.Buffer
				if err := report.WriteMarkdown(&a, tc.scan, lang); err != nil {
					t.Fatal(err)
				}
				if err := report.WriteMarkdown(&b, got, lang); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(a.Bytes(), b.Bytes()) {
					t.Errorf("markdown (%s) differs after the round trip", lang)
				}
			}
		})
	}
	if _, err := db.Scan(ctx, 12345); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing scan: %v", err)
	}
}

func TestScansFilter(t *testing.T) {
	db, _ := openTemp(t)
	ctx := t.Context()
	base := labScan(t)
	day := 24 * time.Hour
	for i, scope := range []string{"127.77.0.0/24", "127.77.0.0/24", "127.77.0.0/28"} {
		s := *base
		s.Scope = scope
		s.Started = base.Started.Add(time.Duration(i) * day)
		s.Finished = s.Started.Add(2 * time.Second)
		if _, err := db.SaveScan(ctx, &s); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name   string
		filter store.ScanFilter
		want   []store.ScanID
	}{
		{"all, newest first", store.ScanFilter{}, []store.ScanID{3, 2, 1}},
		{"limit", store.ScanFilter{Limit: 2}, []store.ScanID{3, 2}},
		{"scope", store.ScanFilter{Scope: "127.77.0.0/24"}, []store.ScanID{2, 1}},
		{"since", store.ScanFilter{Since: base.Started.Add(day)}, []store.ScanID{3, 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := db.Scans(ctx, tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			var ids []store.ScanID
			for _, m := range got {
				ids = append(ids, m.ID)
			}
			if len(ids) != len(tc.want) || (len(ids) > 0 && ids[0] != tc.want[0]) || ids[len(ids)-1] != tc.want[len(tc.want)-1] {
				t.Errorf("ids %v, want %v", ids, tc.want)
			}
		})
	}
	all, _ := db.Scans(ctx, store.ScanFilter{Limit: 1})
	m := all[0]
	// The lab scan: 5 devices; 4 critical, 2 medium, 2 low, 1 info finding.
	if m.Devices != 5 || m.Findings() != len(base.Findings) || m.BySeverity != [5]int{1, 2, 2, 0, 4} {
		t.Errorf("meta %+v", m)
	}
	if !m.Started.Equal(base.Started.Add(2*day)) || m.Scope != "127.77.0.0/28" || m.ToolVersion != "test" {
		t.Errorf("meta started %v scope %q version %q", m.Started, m.Scope, m.ToolVersion)
	}
}

// saveTimeline stores three scans of the lab a week apart (as in the sqlite
// store's tests): the Hikvision moves to 127.77.0.40 and is updated, the
// Dahua at 127.77.0.5 is replaced by another unit of the same model.
func saveTimeline(t *testing.T, db *DB) []store.ScanID {
	t.Helper()
	week := 7 * 24 * time.Hour
	var ids []store.ScanID
	for i := range 3 {
		s := labScan(t)
		s.Started, s.Finished = s.Started.Add(time.Duration(i)*week), s.Finished.Add(time.Duration(i)*week)
		device(t, s, "127.77.0.2").Serial = serialHik
		device(t, s, "127.77.0.5").Serial = serialDahua
		if i >= 1 {
			hik := device(t, s, "127.77.0.2")
			hik.Address, hik.Firmware = netip.MustParseAddr("127.77.0.40"), "V5.5.0"
			s.Findings = slices.DeleteFunc(s.Findings, func(f finding.Finding) bool {
				return f.Address.String() == "127.77.0.2" && f.ID == "FW-VULNERABLE"
			})
			for j := range s.Findings {
				if s.Findings[j].Address.String() == "127.77.0.2" {
					s.Findings[j].Address = hik.Address
				}
			}
		}
		if i == 2 {
			device(t, s, "127.77.0.5").Serial = "4G0219PAZ99999"
		}
		s.Normalize()
		id, err := db.SaveScan(t.Context(), s)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

func TestDeviceHistory(t *testing.T) {
	db, _ := openTemp(t)
	ids := saveTimeline(t, db)
	tests := []struct {
		ref      string
		scans    []store.ScanID
		keys     []string
		firmware []string
	}{
		{serialHik, ids, []string{"serial:" + serialHik}, []string{"V5.2.0", "V5.5.0", "V5.5.0"}},
		{"serial:" + serialHik, ids, []string{"serial:" + serialHik}, nil},
		{"127.77.0.40", ids, []string{"serial:" + serialHik}, nil}, // the new address finds the whole history
		{"127.77.0.2", ids, []string{"serial:" + serialHik}, nil},  // and so does the old one
		{"127.77.0.5", []store.ScanID{ids[0], ids[1], ids[2]}, []string{"serial:" + serialDahua, "serial:4G0219PAZ99999"}, nil},
		{"4g0219paz99999", ids[2:], []string{"serial:4G0219PAZ99999"}, nil},
		{"addr:127.77.0.22|mikrotik|rbd52g-5hacd2hnd", ids, []string{"addr:127.77.0.22|mikrotik|rbd52g-5hacd2hnd"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.ref, func(t *testing.T) {
			states, err := db.DeviceHistory(t.Context(), tc.ref)
			if err != nil {
				t.Fatal(err)
			}
			var scans []store.ScanID
			var keys, fw []string
			for _, st := range states {
				scans = append(scans, st.Scan)
				if !slices.Contains(keys, st.Key) {
					keys = append(keys, st.Key)
				}
				fw = append(fw, st.Device.Firmware)
				if st.Address != st.Device.Address || len(st.Device.Scorecard) != 3 {
					t.Errorf("scan %d: state address %s, device %s, scorecard %d", st.Scan, st.Address, st.Device.Address, len(st.Device.Scorecard))
				}
			}
			if !slices.Equal(scans, tc.scans) || !slices.Equal(keys, tc.keys) {
				t.Errorf("scans %v keys %v; want %v %v", scans, keys, tc.scans, tc.keys)
			}
			if tc.firmware != nil && !slices.Equal(fw, tc.firmware) {
				t.Errorf("firmware %v, want %v", fw, tc.firmware)
			}
		})
	}
	hik, _ := db.DeviceHistory(t.Context(), serialHik)
	if n := len(hik[0].Findings); n != 4 {
		t.Errorf("first observation holds %d findings, want 4", n)
	}
	if n := len(hik[1].Findings); n != 3 || hik[1].Device.Scorecard[1].Verdict != report.VerdictPass {
		t.Errorf("second observation: %d findings, firmware %s", n, hik[1].Device.Scorecard[1].Verdict)
	}
	dc := store.DiffStates(hik[0], hik[1])
	if dc == nil || dc.PrevAddress.String() != "127.77.0.2" || dc.FirmwareTo != "V5.5.0" ||
		len(dc.Fixed) != 1 || dc.Fixed[0].ID != "FW-VULNERABLE" || len(dc.Opened) != 0 {
		t.Errorf("DiffStates of the first two observations: %+v", dc)
	}
	if dc := store.DiffStates(hik[1], hik[2]); dc != nil {
		t.Errorf("DiffStates of identical observations: %+v", dc)
	}
	if !slices.Equal(hik[0].Checked, []finding.Checkpoint{1, 2, 3}) {
		t.Errorf("checked %v", hik[0].Checked)
	}
	if _, err := db.DeviceHistory(t.Context(), "127.1.2.3"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown device: %v", err)
	}
}

func TestDiffOfStoredScans(t *testing.T) {
	db, _ := openTemp(t)
	ids := saveTimeline(t, db)
	prev, err := db.Scan(t.Context(), ids[1])
	if err != nil {
		t.Fatal(err)
	}
	cur, err := db.Scan(t.Context(), ids[2])
	if err != nil {
		t.Fatal(err)
	}
	c := store.Diff(prev, cur)
	if len(c.New) != 1 || len(c.Gone) != 1 || c.New[0].Key != "serial:4G0219PAZ99999" || c.Gone[0].Key != "serial:"+serialDahua {
		t.Errorf("replaced camera: new %+v gone %+v", c.New, c.Gone)
	}
}

func BenchmarkSaveScan500(b *testing.B) {
	db, _ := openTemp(b)
	s := bigScan(b, 500)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := db.SaveScan(b.Context(), s); err != nil {
			b.Fatal(err)
		}
	}
}

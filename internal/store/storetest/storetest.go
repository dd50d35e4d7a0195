// Package storetest is the conformance suite every store.Store
// implementation runs: byte-identical round trips, scan listings,
// device history by the identity rule, diffs of stored scans, concurrent
// saves and redaction, with the lab scan fixtures they share. Tests of
// what only one engine has (files, pragmas, schemas, locks) stay with
// that engine.
package storetest

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/i18n"
	"github.com/camwarden/camwarden/internal/report"
	"github.com/camwarden/camwarden/internal/store"
)

// Opener opens an empty store of its own for one test and closes it when
// the test ends.
type Opener func(tb testing.TB) store.Store

// Run runs the conformance suite, each test on a fresh store from open.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		run  func(*testing.T, store.Store)
	}{
		{"RoundTripByteIdentical", testRoundTrip},
		{"ScansFilter", testScansFilter},
		{"DeviceHistory", testDeviceHistory},
		{"DiffOfStoredScans", testDiffOfStoredScans},
		{"LoginLog", testLoginLog},
		{"Retention", testRetention},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.run(t, open(t)) })
	}
}

// BenchmarkSave measures saving a 500-device scan to a store from open.
func BenchmarkSave(b *testing.B, open Opener) {
	db := open(b)
	s := BigScan(b, 500)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := db.SaveScan(b.Context(), s); err != nil {
			b.Fatal(err)
		}
	}
}

func testRoundTrip(t *testing.T, db store.Store) {
	ctx := t.Context()
	for _, tc := range []struct {
		name string
		scan *report.Scan
	}{
		{"lab scan", LabScan(t)},
		{"500 devices", BigScan(t, 500)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := JSONOf(t, tc.scan)
			id, err := db.SaveScan(ctx, tc.scan)
			if err != nil {
				t.Fatal(err)
			}
			got, err := db.Scan(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(JSONOf(t, got), want) {
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

func testScansFilter(t *testing.T, db store.Store) {
	ctx := t.Context()
	base := LabScan(t)
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

func testDeviceHistory(t *testing.T, db store.Store) {
	ids := SaveTimeline(t, db)
	tests := []struct {
		ref      string
		scans    []store.ScanID
		keys     []string
		firmware []string
	}{
		{SerialHik, ids, []string{"serial:" + SerialHik}, []string{"V5.2.0", "V5.5.0", "V5.5.0"}},
		{"serial:" + SerialHik, ids, []string{"serial:" + SerialHik}, nil},
		{"127.77.0.40", ids, []string{"serial:" + SerialHik}, nil}, // the new address finds the whole history
		{"127.77.0.2", ids, []string{"serial:" + SerialHik}, nil},  // and so does the old one
		{"127.77.0.5", []store.ScanID{ids[0], ids[1], ids[2]}, []string{"serial:" + SerialDahua, "serial:4G0219PAZ99999"}, nil},
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
	hik, err := db.DeviceHistory(t.Context(), SerialHik)
	if err != nil || len(hik) != 3 {
		t.Fatalf("history of %s: %d states (%v), want 3", SerialHik, len(hik), err)
	}
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

func testDiffOfStoredScans(t *testing.T, db store.Store) {
	ids := SaveTimeline(t, db)
	prev, err := db.Scan(t.Context(), ids[1])
	if err != nil {
		t.Fatal(err)
	}
	cur, err := db.Scan(t.Context(), ids[2])
	if err != nil {
		t.Fatal(err)
	}
	c := store.Diff(prev, cur)
	if len(c.New) != 1 || len(c.Gone) != 1 || c.New[0].Key != "serial:4G0219PAZ99999" || c.Gone[0].Key != "serial:"+SerialDahua {
		t.Errorf("replaced camera: new %+v gone %+v", c.New, c.Gone)
	}
}

// SaveConcurrently saves 24 lab scans from six writers at once, alternating
// between two handles on one database (as two processes or machines
// would), listing scans between saves. Every scan must get its own ID and
// the Hikvision camera must stay one device seen 24 times. The caller
// checks the device count in its own tables.
func SaveConcurrently(t *testing.T, a, b store.Store) {
	t.Helper()
	const writers, each = 6, 4
	var wg sync.WaitGroup
	errs := make(chan error, 2*writers*each)
	got := make(chan store.ScanID, writers*each)
	for w := range writers {
		h := a
		if w%2 == 1 {
			h = b
		}
		wg.Go(func() {
			for i := range each {
				s := LabScan(t)
				s.Started = s.Started.Add(time.Duration(w*each+i) * time.Minute)
				Device(t, s, "127.77.0.2").Serial = SerialHik
				id, err := h.SaveScan(t.Context(), s)
				if err != nil {
					errs <- fmt.Errorf("writer %d: %w", w, err)
					continue
				}
				got <- id
				if _, err := h.Scans(t.Context(), store.ScanFilter{Limit: 3}); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	close(got)
	for err := range errs {
		t.Error(err)
	}
	var ids []store.ScanID
	for id := range got {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	if len(slices.Compact(ids)) != writers*each {
		t.Fatalf("%d distinct ids, want %d", len(ids), writers*each)
	}
	hist, err := a.DeviceHistory(t.Context(), SerialHik)
	if err != nil || len(hist) != writers*each {
		t.Fatalf("history %d states (%v), want one device seen %d times", len(hist), err, writers*each)
	}
}

// SaveSecrets saves SecretScan, loads it back and checks that the loaded
// scan holds none of Secrets, with the telnet password replaced by
// store.Redacted and the user name kept. The caller then checks its own
// storage (files, rows) for Secrets.
func SaveSecrets(t *testing.T, db store.Store) store.ScanID {
	t.Helper()
	id, err := db.SaveScan(t.Context(), SecretScan(t))
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.Scan(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range Secrets {
		if bytes.Contains(JSONOf(t, got), []byte(secret)) {
			t.Errorf("loaded scan holds %s", secret)
		}
	}
	if got.Findings[0].Evidence == nil {
		t.Fatal("evidence lost")
	}
	for _, f := range got.Findings {
		if f.ID == "AUTH-DEFAULT-TELNET" && (f.Evidence["password"] != store.Redacted || f.Evidence["username"] != "admin") {
			t.Errorf("telnet evidence %v", f.Evidence)
		}
	}
	return id
}

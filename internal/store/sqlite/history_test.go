package sqlite

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/report"
	"github.com/camwarden/camwarden/internal/store"
)

// saveTimeline stores three scans of the lab a week apart: in the second
// the Hikvision camera (serial known) has moved to 127.77.0.40 and been
// updated (its CVE gone); in the third the Dahua camera at 127.77.0.5 has
// been replaced by another unit of the same model.
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

func TestConcurrentSave(t *testing.T) {
	db, path := openTemp(t)
	other, err := Open(t.Context(), path, Options{}) // a second handle, as another process would
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	const writers, each = 6, 4
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	got := make(chan store.ScanID, writers*each)
	for w := range writers {
		h := db
		if w%2 == 1 {
			h = other
		}
		wg.Go(func() {
			for i := range each {
				s := labScan(t)
				s.Started = s.Started.Add(time.Duration(w*each+i) * time.Minute)
				device(t, s, "127.77.0.2").Serial = serialHik
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
	hist, err := db.DeviceHistory(t.Context(), serialHik)
	if err != nil || len(hist) != writers*each {
		t.Fatalf("history %d states (%v), want one device seen %d times", len(hist), err, writers*each)
	}
	var devices int
	if err := db.db.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM devices`).Scan(&devices); err != nil || devices != 5 {
		t.Errorf("%d devices (%v), want 5", devices, err)
	}
}

func TestSecretsNeverStored(t *testing.T) {
	db, path := openTemp(t)
	s := labScan(t)
	for i := range s.Findings {
		if s.Findings[i].ID == "AUTH-DEFAULT-TELNET" { // as --show-secrets writes it
			s.Findings[i].Evidence["username"] = "admin"
			s.Findings[i].Evidence["password"] = "7ujMko0admin" // Dahua's documented telnet default
		}
	}
	d := device(t, s, "127.77.0.5")
	d.Services = append(d.Services, probe.Service{Port: 80, Transport: "tcp", Protocol: "http",
		Status: probe.StatusIdentified, Trace: []probe.TraceEntry{{Dir: "send", Data: "Authorization: Basic YWRtaW46N3VqTWtvMGFkbWlu"}}})
	id, err := db.SaveScan(t.Context(), s)
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.Scan(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(jsonOf(t, got), []byte("7ujMko0admin")) {
		t.Error("loaded scan holds the password")
	}
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
		for _, secret := range []string{"7ujMko0admin", "YWRtaW46N3VqTWtvMGFkbWlu"} {
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("%s holds %s", filepath.Base(path+suffix), secret)
			}
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

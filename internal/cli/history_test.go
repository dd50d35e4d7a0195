package cli

import (
	"bytes"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/report"
)

// historyDB stores three weekly scans of the lab (the store's fixture): in
// the second the Hikvision camera has moved to 127.77.0.40 and been
// updated, so its CVE is gone; in the third the Dahua camera has been
// replaced by another unit of the same model.
func historyDB(t *testing.T, scans int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "camwarden.db")
	raw, err := os.ReadFile(filepath.Join("..", "store", "testdata", "camwarden-lab-scan.json"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range scans {
		s, err := report.ReadJSON(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		week := time.Duration(i) * 7 * 24 * time.Hour
		s.Started, s.Finished = s.Started.Add(week), s.Finished.Add(week)
		for j := range s.Devices {
			d := &s.Devices[j]
			switch d.Address.String() {
			case "127.77.0.2":
				d.Serial = "DS-2CD2532F-IWS20140721CCCH400000001" // the lab's serials
				if i >= 1 {
					d.Address, d.Firmware = netip.MustParseAddr("127.77.0.40"), "V5.5.0"
				}
			case "127.77.0.5":
				d.Serial = "4G0219PAZ00004"
				if i == 2 {
					d.Serial = "4G0219PAZ99999"
				}
			}
		}
		if i >= 1 {
			s.Findings = slices.DeleteFunc(s.Findings, func(f finding.Finding) bool {
				return f.Address.String() == "127.77.0.2" && f.ID == "FW-VULNERABLE"
			})
			for j := range s.Findings {
				if s.Findings[j].Address.String() == "127.77.0.2" {
					s.Findings[j].Address = netip.MustParseAddr("127.77.0.40")
				}
			}
		}
		s.Normalize()
		if _, err := saveScan(t.Context(), path, s); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

// runHistoryCmd runs the command as Run would, returning the exit code
// and standard output.
func runHistoryCmd(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var out, errw bytes.Buffer
	code, err := runHistory(t.Context(), args, IO{Out: &out, Err: &errw})
	var ue usageError
	switch {
	case err != nil && errors.As(err, &ue):
		code = ExitUsage
	case err != nil && code == ExitOK:
		code = ExitError
	}
	return code, out.String()
}

func TestHistory(t *testing.T) {
	db := historyDB(t, 3)
	tests := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"scan list", []string{"--db", db, "--lang", "en"}, ExitOK, []string{
			"Stored scans (" + db + ")",
			"ID  Date                  Scope          Devices  critical  high  medium  low  info",
			"3   2026-12-10 09:00 UTC  127.77.0.0/24  5        3         0     2       2    1",
			"1   2026-11-26 09:00 UTC  127.77.0.0/24  5        4         0     2       2    1",
		}},
		{"scan list in Japanese", []string{"--db", db, "--lang", "ja", "--limit", "1"}, ExitOK, []string{
			"保存された診断", "日時", "緊急",
		}},
		{"timeline by serial", []string{"--db", db, "--lang", "en", "ds-2cd2532f-iws20140721ccch400000001"}, ExitOK, []string{
			"Device serial:DS-2CD2532F-IWS20140721CCCH400000001: Hikvision DS-2CD2532F-IWS",
			"Firmware versions seen: V5.2.0, V5.5.0",
			"2026-11-26 09:00 UTC  scan 1 at 127.77.0.2  1 AUTH ✗  2 FW ✗  3 SVC ✗  4 findings",
			"    new: AUTH-DEFAULT-HTTP (critical, 80/http), AUTH-NONE-RTSP (critical, 554/rtsp), FW-VULNERABLE (critical)",
			"2026-12-03 09:00 UTC  scan 2 at 127.77.0.40  1 AUTH ✗  2 FW ✓  3 SVC ✗  3 findings",
			"    moved from 127.77.0.2",
			"    firmware V5.2.0 → V5.5.0",
			"    fixed: FW-VULNERABLE (critical)",
			"    2. Firmware Fail → Pass",
		}},
		{"timeline in Japanese", []string{"--db", db, "--lang", "ja", "127.77.0.40"}, ExitOK, []string{
			"確認したファームウェア：V5.2.0, V5.5.0",
			"解消：FW-VULNERABLE (緊急)",
			"2. ファームウェア 要対応 → 合格",
		}},
		{"an address that held two devices", []string{"--db", db, "--lang", "en", "127.77.0.5"}, ExitOK, []string{
			"Device serial:4G0219PAZ00004: Dahua IPC-HFW3441T",
			"Device serial:4G0219PAZ99999: Dahua IPC-HFW3441T",
		}},
		{"since last", []string{"--db", db, "--lang", "en", "--since-last"}, ExitOK, []string{
			"Since the last scan (2026-12-03 09:00 UTC → 2026-12-10 09:00 UTC)",
			"New devices (1)",
			"  127.77.0.5  Dahua IPC-HFW3441T  [serial:4G0219PAZ99999]",
			"    new: AUTH-DEFAULT-TELNET (critical, 23/telnet), EXPOSE-TELNET (medium, 23/telnet)",
			"Devices no longer seen (1)",
			"  127.77.0.5  Dahua IPC-HFW3441T  [serial:4G0219PAZ00004]",
			"4 devices unchanged.",
		}},
		{"since last in Japanese", []string{"--db", db, "--lang", "ja", "--since-last"}, ExitOK, []string{
			"前回の診断からの変化", "新たに見つかった機器 (1)", "見つからなくなった機器 (1)", "変化のない機器：4 台",
		}},
		{"unknown device", []string{"--db", db, "127.1.2.3"}, ExitUsage, nil},
		{"two devices", []string{"--db", db, "127.77.0.2", "127.77.0.5"}, ExitUsage, nil},
		{"device with since-last", []string{"--db", db, "--since-last", "127.77.0.2"}, ExitUsage, nil},
		{"bad language", []string{"--db", db, "--lang", "fr"}, ExitUsage, nil},
		{"no store yet", []string{"--db", filepath.Join(t.TempDir(), "none.db"), "--lang", "en"}, ExitOK, []string{
			"No scans are stored yet.",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out := runHistoryCmd(t, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; output:\n%s", code, tc.code, out)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

func TestHistorySinceLastNeedsTwoScans(t *testing.T) {
	db := historyDB(t, 1)
	code, out := runHistoryCmd(t, "--db", db, "--lang", "en", "--since-last")
	if code != ExitOK || !strings.Contains(out, "Fewer than two scans are stored") {
		t.Fatalf("exit %d: %s", code, out)
	}
}

func TestHistoryDefaultPath(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_DATA_HOME", dir)
	s, err := report.ReadJSON(strings.NewReader(`{"schema":"camwarden.scan/v1","scope":"127.77.0.0/24","devices":[],"findings":[]}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := saveScan(t.Context(), "", s); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "camwarden", "camwarden.db")); err != nil {
		t.Fatalf("default store not created: %v", err)
	}
	code, out := runHistoryCmd(t, "--lang", "en")
	if code != ExitOK || !strings.Contains(out, "127.77.0.0/24") {
		t.Errorf("exit %d: %s", code, out)
	}
}

package store

import (
	"net/netip"
	"slices"
	"testing"

	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/report"
)

// The lab's serial numbers (internal/lab/devices.go).
const (
	serialHik   = "DS-2CD2532F-IWS20140721CCCH400000001"
	serialDahua = "4G0219PAZ00004"
)

func ids(fs []finding.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Address.String()+" "+f.ID)
	}
	slices.Sort(out)
	return out
}

func addrs(dcs []DeviceChange) []string {
	var out []string
	for _, d := range dcs {
		out = append(out, d.Address.String())
	}
	return out
}

func TestDiff(t *testing.T) {
	tests := []struct {
		name   string
		prev   func(*report.Scan)
		cur    func(*report.Scan)
		check  func(t *testing.T, c Changes)
		change bool
	}{
		{name: "identical scans", change: false,
			check: func(t *testing.T, c Changes) {
				if c.Unchanged != 5 {
					t.Errorf("unchanged %d, want 5", c.Unchanged)
				}
			}},
		{name: "new device", change: true,
			prev: func(s *report.Scan) {
				s.Devices = slices.DeleteFunc(s.Devices, func(d report.Device) bool { return d.Vendor == "Dahua" })
				s.Findings = slices.DeleteFunc(s.Findings, func(f finding.Finding) bool { return f.Address.String() == "127.77.0.5" })
			},
			check: func(t *testing.T, c Changes) {
				if got := addrs(c.New); !slices.Equal(got, []string{"127.77.0.5"}) {
					t.Fatalf("new %v", got)
				}
				if got := ids(c.New[0].Opened); !slices.Equal(got, []string{"127.77.0.5 AUTH-DEFAULT-TELNET", "127.77.0.5 EXPOSE-TELNET"}) {
					t.Errorf("opened %v", got)
				}
				if len(c.Gone)+len(c.Changed) != 0 || c.Unchanged != 4 {
					t.Errorf("gone %v changed %v unchanged %d", addrs(c.Gone), addrs(c.Changed), c.Unchanged)
				}
			}},
		{name: "device gone keeps its findings unchecked", change: true,
			cur: func(s *report.Scan) {
				s.Devices = slices.DeleteFunc(s.Devices, func(d report.Device) bool { return d.Vendor == "MikroTik" })
				s.Findings = slices.DeleteFunc(s.Findings, func(f finding.Finding) bool { return f.Address.String() == "127.77.0.22" })
			},
			check: func(t *testing.T, c Changes) {
				if got := addrs(c.Gone); !slices.Equal(got, []string{"127.77.0.22"}) {
					t.Fatalf("gone %v", got)
				}
				if got := ids(c.Gone[0].Unchecked); len(got) != 2 || len(c.Gone[0].Fixed) != 0 {
					t.Errorf("gone device findings: unchecked %v fixed %v", got, c.Gone[0].Fixed)
				}
			}},
		{name: "firmware updated fixes the CVE", change: true,
			cur: func(s *report.Scan) {
				device(t, s, "127.77.0.2").Firmware = "V5.5.0"
				dropFinding(s, "127.77.0.2", "FW-VULNERABLE")
			},
			check: func(t *testing.T, c Changes) {
				if len(c.Changed) != 1 {
					t.Fatalf("changed %v", addrs(c.Changed))
				}
				d := c.Changed[0]
				if d.FirmwareFrom != "V5.2.0" || d.FirmwareTo != "V5.5.0" {
					t.Errorf("firmware %q -> %q", d.FirmwareFrom, d.FirmwareTo)
				}
				if got := ids(d.Fixed); !slices.Equal(got, []string{"127.77.0.2 FW-VULNERABLE"}) {
					t.Errorf("fixed %v", got)
				}
				want := []VerdictChange{{finding.CheckFirmware, report.VerdictFail, report.VerdictPass}}
				if !slices.Equal(d.Scorecard, want) {
					t.Errorf("scorecard %+v, want %+v", d.Scorecard, want)
				}
			}},
		{name: "new finding on a known device", change: true,
			cur: func(s *report.Scan) {
				s.Findings = append(s.Findings, finding.Finding{ID: "EXPOSE-TELNET", Checkpoint: finding.CheckExposure,
					Severity: finding.SevMedium, Address: netip.MustParseAddr("127.77.0.8"), Port: 23, Protocol: "telnet"})
			},
			check: func(t *testing.T, c Changes) {
				if len(c.Changed) != 1 || c.Changed[0].Address.String() != "127.77.0.8" {
					t.Fatalf("changed %v", addrs(c.Changed))
				}
				d := c.Changed[0]
				if got := ids(d.Opened); !slices.Equal(got, []string{"127.77.0.8 EXPOSE-TELNET"}) {
					t.Errorf("opened %v", got)
				}
				if len(d.Scorecard) != 1 || d.Scorecard[0].To != report.VerdictFail {
					t.Errorf("scorecard %+v", d.Scorecard)
				}
			}},
		{name: "a coverage record is not a new finding", change: true,
			cur: func(s *report.Scan) {
				s.Findings = append(s.Findings, finding.Finding{ID: finding.IDAuthCoverage, Checkpoint: finding.CheckAuth,
					Severity: finding.SevInfo, Address: netip.MustParseAddr("127.77.0.8"),
					Evidence: map[string]string{finding.CoverageVendor: "Axis", finding.CoverageSurfaces: "http/80",
						finding.CoverageVendorRefused: "http/80", finding.CoverageComplete: "true"}})
			},
			check: func(t *testing.T, c Changes) {
				if len(c.Changed) != 1 || len(c.Changed[0].Opened) != 0 {
					t.Fatalf("changed %v, opened %v: want only the verdict to change", addrs(c.Changed), c.Changed)
				}
				want := []VerdictChange{{finding.CheckAuth, report.VerdictUnknown, report.VerdictPass}}
				if !slices.Equal(c.Changed[0].Scorecard, want) {
					t.Errorf("scorecard %+v, want %+v", c.Changed[0].Scorecard, want)
				}
			}},
		{name: "camera moved address but kept its serial", change: true,
			prev: func(s *report.Scan) { device(t, s, "127.77.0.2").Serial = serialHik },
			cur: func(s *report.Scan) {
				device(t, s, "127.77.0.2").Serial = serialHik
				moveDevice(t, s, "127.77.0.2", "127.77.0.40")
			},
			check: func(t *testing.T, c Changes) {
				if len(c.New)+len(c.Gone) != 0 || len(c.Changed) != 1 {
					t.Fatalf("new %v gone %v changed %v", addrs(c.New), addrs(c.Gone), addrs(c.Changed))
				}
				d := c.Changed[0]
				if d.PrevAddress.String() != "127.77.0.2" || d.Address.String() != "127.77.0.40" {
					t.Errorf("moved %s -> %s", d.PrevAddress, d.Address)
				}
				if len(d.Opened)+len(d.Fixed) != 0 || d.Key != "serial:"+serialHik {
					t.Errorf("opened %v fixed %v key %s", ids(d.Opened), ids(d.Fixed), d.Key)
				}
			}},
		{name: "same model replaced at the same address", change: true,
			prev: func(s *report.Scan) { device(t, s, "127.77.0.5").Serial = serialDahua },
			cur:  func(s *report.Scan) { device(t, s, "127.77.0.5").Serial = "4G0219PAZ99999" },
			check: func(t *testing.T, c Changes) {
				if !slices.Equal(addrs(c.New), []string{"127.77.0.5"}) || !slices.Equal(addrs(c.Gone), []string{"127.77.0.5"}) {
					t.Errorf("new %v gone %v", addrs(c.New), addrs(c.Gone))
				}
			}},
		{name: "login checks not run: findings unchecked, not fixed", change: true,
			cur: func(s *report.Scan) {
				s.Checked = []finding.Checkpoint{finding.CheckFirmware, finding.CheckExposure}
				s.Findings = slices.DeleteFunc(s.Findings, func(f finding.Finding) bool { return f.Checkpoint == finding.CheckAuth })
			},
			check: func(t *testing.T, c Changes) {
				for _, d := range c.Changed {
					if len(d.Fixed) != 0 {
						t.Errorf("%s: fixed %v though login was not checked", d.Address, ids(d.Fixed))
					}
				}
				var unchecked []string
				for _, d := range c.Changed {
					unchecked = append(unchecked, ids(d.Unchecked)...)
				}
				if len(unchecked) != 4 {
					t.Errorf("unchecked %v, want the 4 AUTH findings", unchecked)
				}
			}},
		{name: "scope changed and interrupted are flagged", change: true,
			cur: func(s *report.Scan) {
				s.Scope, s.Interrupted = "127.77.0.0/28", true
				s.Devices = slices.DeleteFunc(s.Devices, func(d report.Device) bool { return d.Vendor == "MikroTik" })
			},
			check: func(t *testing.T, c Changes) {
				if !c.ScopeChanged || !c.Interrupted {
					t.Errorf("scope changed %v interrupted %v", c.ScopeChanged, c.Interrupted)
				}
			}},
	}
	base := labScan(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			prev, cur := clone(t, base), clone(t, base)
			if tc.prev != nil {
				tc.prev(prev)
				prev.Normalize()
			}
			if tc.cur != nil {
				tc.cur(cur)
				cur.Normalize()
			}
			c := Diff(prev, cur)
			if c.Empty() == tc.change {
				t.Errorf("Empty() = %v, want %v", c.Empty(), !tc.change)
			}
			tc.check(t, c)
		})
	}
}

func TestDiffFirstScan(t *testing.T) {
	cur := labScan(t)
	c := Diff(nil, cur)
	if len(c.New) != len(cur.Devices) || c.ScopeChanged {
		t.Fatalf("new %d of %d devices, scope changed %v", len(c.New), len(cur.Devices), c.ScopeChanged)
	}
	n := 0
	for _, d := range c.New {
		n += len(d.Opened)
	}
	if n != len(cur.Findings) {
		t.Errorf("opened %d findings, want %d", n, len(cur.Findings))
	}
}

func TestDiffDoesNotModify(t *testing.T) {
	prev, cur := labScan(t), labScan(t)
	dropFinding(cur, "127.77.0.2", "EXPOSE-SDK")
	cur.Normalize()
	want := clone(t, cur)
	Diff(prev, cur)
	if len(cur.Findings) != len(want.Findings) || cur.Devices[0].Scorecard[2] != want.Devices[0].Scorecard[2] {
		t.Error("Diff modified its input")
	}
}

//go:build integration

package integration

import (
	"bytes"
	"context"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/cli"
	"github.com/camwarden/camwarden/internal/discover/lan"
	"github.com/camwarden/camwarden/internal/lab"
	"github.com/camwarden/camwarden/internal/report"
)

// TestLANDiscoveryNetns: the lab's discovery responders run in
// camwarden-lan-a and join the multicast groups on its veth only;
// camwarden runs in camwarden-lan-b and discovers them by multicast (both
// lan.Discover and `camwarden scan --lan-discovery`). The two namespaces
// and their veth come from scripts/peers/start-lan-netns.sh; multicast
// never reaches the host's interfaces. Each side is this test binary,
// re-executed under `ip netns exec` and told its role by lanRoleEnv.
const (
	lanRespondNS  = "camwarden-lan-a"
	lanDiscoverNS = "camwarden-lan-b"
	lanRoleEnv    = "CAMWARDEN_LAN_ROLE" // "respond" or "discover"
	lanDirEnv     = "CAMWARDEN_LAN_DIR"  // where the children exchange files
	lanPrefix     = "10.80.0"            // responders' addresses inside camwarden-lan-a
	lanIface      = "cwlan-a"
	lanClient     = "10.80.0.100"
)

// lanResult is what the discover child reports.
type lanResult struct {
	Found  []lan.Found  `json:"found"`
	Report *report.Scan `json:"report"`
	Stderr string       `json:"stderr"`
	Exit   int          `json:"exit"`
}

func TestLANDiscoveryNetns(t *testing.T) {
	switch os.Getenv(lanRoleEnv) {
	case "respond":
		lanRespond(t)
		return
	case "discover":
		lanDiscover(t)
		return
	}
	requireNetns(t, "start-lan-netns.sh", lanRespondNS, lanDiscoverNS)
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	dir := t.TempDir()
	env := []string{lanDirEnv + "=" + dir}
	man := startNetnsResponders(ctx, t, lanRespondNS, "TestLANDiscoveryNetns", filepath.Join(dir, "manifest.json"),
		append(env, lanRoleEnv+"=respond")...)
	runNetnsChild(ctx, t, lanDiscoverNS, "TestLANDiscoveryNetns", append(env, lanRoleEnv+"=discover")...)
	var res lanResult
	readJSON(t, filepath.Join(dir, "result.json"), &res)
	checkDiscovered(t, man, res.Found)
	checkScanReport(t, man, res)
}

// lanRespond runs in camwarden-lan-a.
func lanRespond(t *testing.T) {
	serveDiscovery(t, lanPrefix, lanIface, filepath.Join(os.Getenv(lanDirEnv), "manifest.json"))
}

// lanDiscover runs in camwarden-lan-b: lan.Discover, then the CLI.
func lanDiscover(t *testing.T) {
	if !hasLocalAddr(t, lanClient) {
		t.Fatalf("discover child is not inside %s (no local %s): refusing to send multicast", lanDiscoverNS, lanClient)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	var res lanResult
	ifs, err := lan.Interfaces()
	if err != nil {
		t.Fatal(err)
	}
	found, err := lan.Discover(ctx, lan.Options{Wait: 2 * time.Second, Interfaces: ifs})
	if err != nil {
		t.Fatalf("lan.Discover: %v", err)
	}
	res.Found = found
	// The last responder (.9, the router) is left outside the scope: it
	// must be listed in a note and never scanned.
	var stdout, stderr bytes.Buffer
	res.Exit = cli.Run(ctx, []string{"scan", "--lan-discovery", "--no-login", "-p", "80", "--udp", "",
		"--format", "json", lanPrefix + ".2-" + lanPrefix + ".8"}, strings.NewReader(""), &stdout, &stderr)
	res.Stderr = stderr.String()
	rep, err := report.ReadJSON(&stdout)
	if err != nil {
		t.Fatalf("camwarden scan --lan-discovery (exit %d): %v\n%s", res.Exit, err, res.Stderr)
	}
	res.Report = rep
	writeJSON(t, filepath.Join(os.Getenv(lanDirEnv), "result.json"), res)
}

// manifestProtocol maps a lan protocol to the discovery manifest's name.
func manifestProtocol(p lan.Protocol) string {
	if p == lan.SSDP {
		return lab.ProtoSSDP
	}
	return string(p)
}

// checkDiscovered asserts that every responder was found by every
// protocol it answers, with its identity, and nothing else answered.
func checkDiscovered(t *testing.T, man lab.Manifest, found []lan.Found) {
	got := map[string]lan.Found{}
	for _, f := range found {
		got[f.Address.String()+" "+manifestProtocol(f.Protocol)] = f
	}
	want := map[string]bool{}
	protocols := map[string]int{}
	for _, d := range man.Devices {
		for _, s := range d.Services {
			key := d.Address + " " + s.Protocol
			want[key] = true
			t.Run("found/"+d.Name+"/"+s.Protocol, func(t *testing.T) {
				f, ok := got[key]
				if !ok {
					t.Fatalf("%s (%s) not found by %s", d.Address, d.Name, s.Protocol)
				}
				protocols[s.Protocol]++
				switch s.Protocol {
				case lab.ProtoSADP, lab.ProtoDHIP:
					if f.Model != d.Model || f.Serial == "" || f.MAC == "" {
						t.Errorf("%s answer %+v, want model %s with serial and MAC", s.Protocol, f, d.Model)
					}
				case lab.ProtoWSDiscovery:
					if f.Model != d.Model || len(f.XAddrs) == 0 {
						t.Errorf("ws-discovery answer %+v, want hardware %s", f, d.Model)
					}
				case lab.ProtoSSDP:
					if f.Location == "" {
						t.Errorf("ssdp answer %+v without LOCATION", f)
					}
				}
			})
		}
	}
	for k := range got {
		if !want[k] && !strings.HasSuffix(k, " mdns") {
			t.Errorf("unexpected answer %s", k)
		}
	}
	for _, p := range []string{lab.ProtoWSDiscovery, lab.ProtoSSDP, lab.ProtoSADP, lab.ProtoDHIP} {
		if protocols[p] == 0 {
			t.Errorf("nothing found by %s", p)
		}
	}
	fs := lan.Findings(found)
	inactive := plantedInactive(t, man)
	if len(fs) != 1 || fs[0].ID != lan.IDSADPInactive || fs[0].Address != inactive {
		t.Errorf("lan.Findings = %+v, want one %s on %s", fs, lan.IDSADPInactive, inactive)
	}
}

func plantedInactive(t *testing.T, man lab.Manifest) netip.Addr {
	var out []netip.Addr
	for _, d := range man.Devices {
		if d.Planted[lab.PlantedSADP] == "inactive" {
			out = append(out, netip.MustParseAddr(d.Address))
		}
	}
	if len(out) != 1 {
		t.Fatalf("manifest plants %d inactive SADP devices, want 1", len(out))
	}
	return out[0]
}

// checkScanReport asserts what `camwarden scan --lan-discovery` reported.
func checkScanReport(t *testing.T, man lab.Manifest, res lanResult) {
	t.Logf("camwarden scan --lan-discovery exit %d, stderr:\n%s", res.Exit, res.Stderr)
	rep := res.Report
	inactive := plantedInactive(t, man)
	var sadp int
	for _, f := range rep.Findings {
		if f.ID == lan.IDSADPInactive {
			sadp++
			if f.Address != inactive {
				t.Errorf("%s on %s, want %s", f.ID, f.Address, inactive)
			}
		}
	}
	if sadp != 1 {
		t.Errorf("report has %d %s findings, want 1", sadp, lan.IDSADPInactive)
	}
	devs := map[string]report.Device{}
	for _, d := range rep.Devices {
		devs[d.Address.String()] = d
	}
	for _, d := range man.Devices {
		t.Run("report/"+d.Name, func(t *testing.T) {
			got, ok := devs[d.Address]
			if d.Address == lanPrefix+".9" {
				if ok || !strings.Contains(res.Stderr, "not contacted: "+d.Address) {
					t.Errorf("%s is outside the scope: must only be noted (in report %v)", d.Address, ok)
				}
				return
			}
			if !ok {
				t.Fatalf("%s (%s) not in the report", d.Address, d.Name)
			}
			for _, s := range d.Services {
				var has bool
				for _, g := range got.Services {
					has = has || (g.Port == s.Port && g.Transport == "udp" && g.Protocol == s.Protocol)
				}
				if !has {
					t.Errorf("service %d/udp/%s missing: %+v", s.Port, s.Protocol, got.Services)
				}
			}
			// SADP and DHIP state the vendor; the gSOAP ProbeMatches and the
			// SSDP answer carry only hardware/name scopes and a SERVER line.
			statesVendor := slices.ContainsFunc(d.Services, func(s lab.ServiceSpec) bool {
				return s.Protocol == lab.ProtoSADP || s.Protocol == lab.ProtoDHIP
			})
			if statesVendor && !strings.EqualFold(got.Vendor, d.Vendor) {
				t.Errorf("vendor %q from discovery claims, want %s", got.Vendor, d.Vendor)
			}
		})
	}
	if !strings.Contains(res.Stderr, "no IPv4 default route") {
		t.Errorf("--gateway auto in a namespace without default route should say so; stderr:\n%s", res.Stderr)
	}
	if res.Exit != 0 {
		t.Errorf("exit %d", res.Exit)
	}
}

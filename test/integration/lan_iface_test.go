//go:build integration

package integration

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/cli"
	"github.com/camwarden/camwarden/internal/lab"
	"github.com/camwarden/camwarden/internal/report"
)

// TestLANDiscoveryScopedInterface is issue 10 item 5's acceptance test:
// camwarden runs in camwarden-lan2-scan, which has two links, the scanned
// network 10.81.1.0/24 on cw2s-cam and another, 10.81.2.0/24, on cw2s-oth
// where its default route leaves (scripts/peers/start-lan2-netns.sh). Lab
// discovery responders answer on both far ends. `scan --lan-discovery
// 10.81.1.2-10.81.1.20` must find the scanned network's devices and send
// nothing at all on the other link: the packets received by cw2-oth, at
// its far end, are counted and must not grow. A scope on no local network
// is refused with exit 2.
const (
	lan2ScanNS   = "camwarden-lan2-scan"
	lan2CamNS    = "camwarden-lan2-cam"
	lan2OtherNS  = "camwarden-lan2-other"
	lan2RoleEnv  = "CAMWARDEN_LAN2_ROLE" // "respond" or "scan"
	lan2DirEnv   = "CAMWARDEN_LAN2_DIR"
	lan2Prefix   = "CAMWARDEN_LAN2_PREFIX"
	lan2IfaceEnv = "CAMWARDEN_LAN2_IFACE"
)

// lan2Result is what the scan child reports.
type lan2Result struct {
	Report      *report.Scan `json:"report"`
	Stderr      string       `json:"stderr"`
	Exit        int          `json:"exit"`
	RefuseExit  int          `json:"refuse_exit"`
	RefuseError string       `json:"refuse_stderr"`
}

func TestLANDiscoveryScopedInterface(t *testing.T) {
	switch os.Getenv(lan2RoleEnv) {
	case "respond":
		lan2Respond(t)
		return
	case "scan":
		lan2Scan(t)
		return
	}
	requireNetns(t, "start-lan2-netns.sh", lan2ScanNS, lan2CamNS, lan2OtherNS)
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	dir := t.TempDir()
	cam := startLAN2Responders(ctx, t, dir, lan2CamNS, "10.81.1", "cw2-cam")
	startLAN2Responders(ctx, t, dir, lan2OtherNS, "10.81.2", "cw2-oth")
	otherBefore := rxPackets(t, lan2OtherNS, "cw2-oth")
	camBefore := rxPackets(t, lan2CamNS, "cw2-cam")
	runNetnsChild(ctx, t, lan2ScanNS, "TestLANDiscoveryScopedInterface", lan2RoleEnv+"=scan", lan2DirEnv+"="+dir)
	var res lan2Result
	readJSON(t, filepath.Join(dir, "scan.json"), &res)
	otherAfter := rxPackets(t, lan2OtherNS, "cw2-oth")
	camAfter := rxPackets(t, lan2CamNS, "cw2-cam")
	t.Logf("packets received: scanned link cw2-cam +%d, other link cw2-oth +%d", camAfter-camBefore, otherAfter-otherBefore)
	t.Logf("scan exit %d, stderr:\n%s", res.Exit, res.Stderr)
	if otherAfter != otherBefore {
		t.Errorf("%d packets reached the unscanned link cw2-oth: LAN discovery must send only on the scanned network's interface",
			otherAfter-otherBefore)
	}
	if camAfter == camBefore {
		t.Error("nothing reached the scanned link: the test proves nothing")
	}
	if res.Exit != 0 || !strings.Contains(res.Stderr, "sending and listening on cw2s-cam (10.81.1.100/24) only") {
		t.Errorf("exit %d; want 0 and discovery on cw2s-cam only", res.Exit)
	}
	if strings.Contains(res.Stderr, "not contacted: 10.81.2.") {
		t.Errorf("an answer from the unscanned network was heard:\n%s", res.Stderr)
	}
	found := 0
	for _, d := range res.Report.Devices {
		for _, s := range d.Services {
			if s.Transport == "udp" && (s.Protocol == lab.ProtoSADP || s.Protocol == lab.ProtoDHIP || s.Protocol == lab.ProtoWSDiscovery) {
				found++
			}
		}
	}
	if found == 0 {
		t.Errorf("no device of %d in the scanned network was found by discovery", len(cam.Devices))
	}
	if res.RefuseExit != cli.ExitUsage || !strings.Contains(res.RefuseError, "no network interface of this machine is on the scanned networks") {
		t.Errorf("scope on no local network: exit %d, stderr %q; want 2 and a refusal", res.RefuseExit, res.RefuseError)
	}
}

// rxPackets reads the received-packet counter of ifc inside ns.
func rxPackets(t *testing.T, ns, ifc string) int {
	t.Helper()
	out, err := exec.CommandContext(t.Context(), "ip", "netns", "exec", ns, "cat",
		"/sys/class/net/"+ifc+"/statistics/rx_packets").Output()
	if err != nil {
		t.Fatalf("rx_packets of %s in %s: %v", ifc, ns, err)
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(out)))
	if err != nil {
		t.Fatalf("rx_packets of %s in %s: %q", ifc, ns, out)
	}
	return n
}

// startLAN2Responders runs the respond child in ns, its responders on
// prefix and ifc, and returns its manifest.
func startLAN2Responders(ctx context.Context, t *testing.T, dir, ns, prefix, ifc string) lab.Manifest {
	return startNetnsResponders(ctx, t, ns, "TestLANDiscoveryScopedInterface", filepath.Join(dir, prefix+".json"),
		lan2RoleEnv+"=respond", lan2DirEnv+"="+dir, lan2Prefix+"="+prefix, lan2IfaceEnv+"="+ifc)
}

// lan2Respond runs in the cam or other namespace.
func lan2Respond(t *testing.T) {
	prefix := os.Getenv(lan2Prefix)
	serveDiscovery(t, prefix, os.Getenv(lan2IfaceEnv), filepath.Join(os.Getenv(lan2DirEnv), prefix+".json"))
}

// lan2Scan runs in camwarden-lan2-scan: the CLI, as a user would.
func lan2Scan(t *testing.T) {
	if !hasLocalAddr(t, "10.81.1.100") || !hasLocalAddr(t, "10.81.2.100") {
		t.Fatalf("scan child is not inside %s: refusing to send multicast", lan2ScanNS)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	var res lan2Result
	var stdout, stderr bytes.Buffer
	res.Exit = cli.Run(ctx, []string{"scan", "--lan-discovery", "--no-login", "--no-history", "-p", "80", "--udp", "",
		"--format", "json", "10.81.1.2-10.81.1.20"}, strings.NewReader(""), &stdout, &stderr)
	res.Stderr = stderr.String()
	rep, err := report.ReadJSON(&stdout)
	if err != nil {
		t.Fatalf("camwarden scan --lan-discovery (exit %d): %v\n%s", res.Exit, err, res.Stderr)
	}
	res.Report = rep
	stderr.Reset()
	res.RefuseExit = cli.Run(ctx, []string{"scan", "--lan-discovery", "--no-login", "-p", "80", "--udp", "", "10.81.3.0/24"},
		strings.NewReader(""), io.Discard, &stderr)
	res.RefuseError = stderr.String()
	writeJSON(t, filepath.Join(os.Getenv(lan2DirEnv), "scan.json"), res)
}

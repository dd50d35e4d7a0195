package cli

import (
	"bytes"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestScanRefusesBeforeSendingAnything covers the safety rules of the
// scan command: each case must exit 2 with one clear message and scan
// nothing (the history store is never created).
func TestScanRefusesBeforeSendingAnything(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"malformed address", []string{"127.0.0.300"}, `target "127.0.0.300"`},
		{"malformed among good ones", []string{"127.0.0.1", "10.0.0.0/33"}, `target "10.0.0.0/33"`},
		{"public address", []string{"8.8.8.8"}, "--allow-public"},
		{"public inside a range", []string{"172.15.255.250-172.16.0.5"}, "public"},
		{"no target without a terminal", nil, "no target given"},
		{"bad port", []string{"127.0.0.1", "-p", "70000"}, "-p:"},
		{"bad format", []string{"127.0.0.1", "--format", "pdf"}, "--format"},
		{"bad fail-on", []string{"127.0.0.1", "--fail-on", "scary"}, "--fail-on"},
		{"bad depth", []string{"127.0.0.1", "--depth", "everything"}, "--depth"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db := t.TempDir() + "/h.db"
			var out, errb bytes.Buffer
			args := append([]string{"scan", "--db", db}, tc.args...)
			code := Run(t.Context(), args, strings.NewReader(""), &out, &errb)
			if code != ExitUsage {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, ExitUsage, errb.String())
			}
			if !strings.Contains(errb.String(), tc.want) {
				t.Errorf("stderr %q does not mention %q", errb.String(), tc.want)
			}
			if out.Len() != 0 {
				t.Errorf("something was reported although nothing may be scanned:\n%s", out.String())
			}
			if _, err := os.Stat(db); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("history store created (%v): something was scanned", err)
			}
			if strings.Count(strings.TrimSpace(errb.String()), "\n") > 3 {
				t.Errorf("want one clear error, got:\n%s", errb.String())
			}
		})
	}
}

// sentinelListener counts the connections a scan makes to a loopback
// port. connections dials one last sentinel connection and counts every
// connection accepted before it: the accept queue is in order, so none
// the scan made can be missed, without waiting on a timer.
type sentinelListener struct {
	ln   net.Listener
	port string
}

func newSentinelListener(t *testing.T) *sentinelListener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return &sentinelListener{ln: ln, port: port}
}

func (s *sentinelListener) connections(t *testing.T) int {
	t.Helper()
	c, err := net.Dial("tcp", s.ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for n := 0; ; n++ {
		a, err := s.ln.Accept()
		if err != nil {
			t.Fatal(err)
		}
		remote := a.RemoteAddr().String()
		a.Close()
		if remote == c.LocalAddr().String() {
			return n
		}
	}
}

// TestScanFlagsCheckedBeforeAnyPacket (issue 10.13): "--lang fr" used to
// run the whole scan, logins included, and fail only when printing. Every
// flag is checked before the first packet.
func TestScanFlagsCheckedBeforeAnyPacket(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown language", []string{"--lang", "fr"}, "--lang"},
		{"unknown format", []string{"--format", "pdf"}, "--format"},
		{"output folder missing", []string{"-o", filepath.Join(dir, "no", "such", "report.html")}, "-o"},
		{"credentials file missing", []string{"--credentials", filepath.Join(dir, "missing.txt")}, "--credentials"},
		{"unknown severity", []string{"--fail-on", "scary"}, "--fail-on"},
		{"unknown depth", []string{"--depth", "everything"}, "--depth"},
		{"bad udp ports", []string{"--udp", "x"}, "--udp"},
		{"bad gateway", []string{"--gateway", "router"}, "--gateway"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			peer := newSentinelListener(t)
			var out, errb bytes.Buffer
			args := append([]string{"scan", "127.0.0.1", "-p", peer.port, "--udp", "", "--no-history", "--gateway", "off"}, tc.args...)
			code := Run(t.Context(), args, strings.NewReader(""), &out, &errb)
			if code != ExitUsage || !strings.Contains(errb.String(), tc.want) {
				t.Errorf("exit %d, stderr %q; want %d mentioning %q", code, errb.String(), ExitUsage, tc.want)
			}
			if n := peer.connections(t); n != 0 {
				t.Errorf("%d connections reached the target before the flag was refused", n)
			}
		})
	}
}

// TestOutputFormatFromExtension (issue 10.17): "-o report.html" without
// --format wrote a text table into the .html file.
func TestOutputFormatFromExtension(t *testing.T) {
	dir := t.TempDir()
	tests := []struct{ file, extra, want string }{
		{"report.html", "", "<!DOCTYPE html>"},
		{"findings.csv", "", "address,hostname,type"},
		{"report.md", "", "# camwarden security report"},
		{"scan.json", "", `"schema": "camwarden.scan/v1"`},
		{"report.txt", "", "ADDRESS"},
		{"forced.html", "json", `"schema"`}, // an explicit --format wins
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join(dir, tc.file)
			args := []string{"report", labScanFile, "-o", path, "--lang", "en"}
			if tc.extra != "" {
				args = append(args, "--format", tc.extra)
			}
			var out, errb bytes.Buffer
			if code := Run(t.Context(), args, strings.NewReader(""), &out, &errb); code != ExitOK {
				t.Fatalf("exit %d: %s", code, errb.String())
			}
			got, err := os.ReadFile(path)
			if err != nil || !strings.Contains(string(got), tc.want) {
				t.Errorf("%s does not contain %q (%v):\n%.200s", tc.file, tc.want, err, got)
			}
		})
	}
}

// TestFailOnSaysWhy (issue 10.17): --fail-on exited 1 silently.
func TestFailOnSaysWhy(t *testing.T) {
	var out, errb bytes.Buffer
	code := Run(t.Context(), []string{"report", labScanFile, "--fail-on", "high", "--format", "json"}, strings.NewReader(""), &out, &errb)
	if code != ExitFindings {
		t.Fatalf("exit %d, want %d", code, ExitFindings)
	}
	if !strings.Contains(errb.String(), "--fail-on high") || !strings.Contains(errb.String(), "worst: critical") {
		t.Errorf("stderr does not say why the exit is 1: %q", errb.String())
	}
}

// TestHelpCommand (issue 10.17): "camwarden help scan" showed the general
// usage instead of the scan flags.
func TestHelpCommand(t *testing.T) {
	for _, tc := range []struct{ cmd, want string }{
		{"scan", "Usage: camwarden scan [flags] TARGET..."},
		{"password", "Usage: camwarden password check"},
		{"catalog", "camwarden catalog show VENDOR"},
		{"report", "-format"},
	} {
		t.Run(tc.cmd, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := Run(t.Context(), []string{"help", tc.cmd}, strings.NewReader(""), &out, &errb)
			if code != ExitOK || !strings.Contains(out.String(), tc.want) {
				t.Errorf("exit %d, stdout lacks %q:\n%s\nstderr:\n%s", code, tc.want, out.String(), errb.String())
			}
		})
	}
}

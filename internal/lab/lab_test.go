package lab

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files")

// startLab starts a lab on prefix and closes it when the test ends.
func startLab(t *testing.T, prefix string, opts Options) *Lab {
	t.Helper()
	opts.Prefix = prefix
	l, err := Start(t.Context(), opts)
	if err != nil {
		t.Fatalf("Start(%s): %v", prefix, err)
	}
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return l
}

func TestManifestGolden(t *testing.T) {
	l := startLab(t, "127.78.0", Options{})
	got, err := json.MarshalIndent(l.Manifest(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "manifest.golden.json")
	if *update {
		if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("read golden (run with -update): %v", err)
	}
	if !bytes.Equal(bytes.TrimSpace(want), bytes.TrimSpace(got)) {
		t.Errorf("manifest differs from %s; run go test -update and review the diff", golden)
	}
	m := l.Manifest()
	if m.Schema != ManifestSchema || m.Range != "127.78.0.0/24" {
		t.Errorf("schema/range = %q %q", m.Schema, m.Range)
	}
}

// TestEveryServiceAnswers dials each manifest service and checks that it
// speaks its protocol, with raw bytes (no probe packages).
func TestEveryServiceAnswers(t *testing.T) {
	l := startLab(t, "127.78.1", Options{})
	for _, d := range l.Manifest().Devices {
		for _, s := range d.Services {
			t.Run(fmt.Sprintf("%s/%d-%s", d.Name, s.Port, s.Protocol), func(t *testing.T) {
				addr := net.JoinHostPort(d.Address, fmt.Sprint(s.Port))
				checkService(t, addr, d, s.Protocol)
			})
		}
	}
}

func checkService(t *testing.T, addr string, d DeviceSpec, proto string) {
	t.Helper()
	switch proto {
	case "http":
		resp := httpDo(t, "GET", "http://"+addr+"/", "")
		if resp.status == 0 {
			t.Fatalf("no HTTP status")
		}
	case "https":
		c, err := tls.DialWithDialer(&net.Dialer{Timeout: 2 * time.Second}, "tcp", addr, &tls.Config{InsecureSkipVerify: true}) //nolint:gosec // self-signed lab certificate
		if err != nil {
			t.Fatalf("TLS handshake: %v", err)
		}
		_ = c.Close()
	case "onvif":
		resp := httpDo(t, "POST", "http://"+addr+"/onvif/device_service", soapRequest("GetSystemDateAndTime"))
		if resp.status != 200 || !strings.Contains(resp.body, "GetSystemDateAndTimeResponse") {
			t.Fatalf("GetSystemDateAndTime: %d %q", resp.status, resp.body)
		}
	case "rtsp":
		got := exchange(t, "tcp", addr, "OPTIONS rtsp://"+addr+"/ RTSP/1.0\r\nCSeq: 1\r\n\r\n", "\r\n\r\n")
		// The header's case is the device's ("Cseq" on HiSilicon SDK servers).
		if !strings.HasPrefix(strings.ToLower(got), "rtsp/1.0 200 ok\r\ncseq: 1\r\n") || !strings.Contains(got, "Public: ") {
			t.Fatalf("OPTIONS reply %q", got)
		}
	case "telnet":
		got := exchange(t, "tcp", addr, "", "ogin: ")
		if !strings.HasPrefix(got, "\xff\xfd\x01") && !strings.Contains(got, "Login: ") {
			t.Fatalf("telnet banner %q", got)
		}
	case "ssh":
		if got := exchange(t, "tcp", addr, "", "\r\n"); !strings.HasPrefix(got, "SSH-2.0-") {
			t.Fatalf("ssh banner %q", got)
		}
	case "ftp":
		if got := exchange(t, "tcp", addr, "", "\r\n"); !strings.HasPrefix(got, "220 ") {
			t.Fatalf("ftp banner %q", got)
		}
	case "snmp":
		got := exchange(t, "udp", addr, string(snmpGetSysDescr), "")
		if len(got) < 2 || got[0] != 0x30 || !strings.Contains(got, "public") {
			t.Fatalf("snmp reply %x", got)
		}
	case "upnp":
		got := exchange(t, "udp", addr, msearchAll, "")
		if !strings.HasPrefix(got, "HTTP/1.1 200 OK\r\n") || !strings.Contains(got, "LOCATION: http://"+d.Address) {
			t.Fatalf("ssdp reply %q", got)
		}
	case "hikvision-sdk", "dahua-sdk", "xmeye-sdk", "xmeye-debug":
		c, err := net.DialTimeout("tcp", addr, 2*time.Second)
		if err != nil {
			t.Fatalf("sdk port: %v", err)
		}
		_ = c.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
		n, _ := c.Read(make([]byte, 1))
		c.Close()
		if n != 0 {
			t.Fatalf("sdk port sent bytes")
		}
	default:
		t.Fatalf("no check for protocol %q", proto)
	}
}

type httpResult struct {
	status int
	header http.Header
	body   string
}

func httpDo(t *testing.T, method, url, body string) httpResult {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/soap+xml; charset=utf-8")
	}
	cl := &http.Client{Timeout: 3 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := cl.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return httpResult{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

// exchange sends req (if any) and reads until until appears (or one
// datagram for udp), with a deadline.
func exchange(t *testing.T, network, addr, req, until string) string {
	t.Helper()
	c, err := net.DialTimeout(network, addr, 2*time.Second)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(3 * time.Second))
	if req != "" {
		if _, err := io.WriteString(c, req); err != nil {
			t.Fatalf("write: %v", err)
		}
	}
	if network == "udp" {
		buf := make([]byte, 4096)
		n, err := c.Read(buf)
		if err != nil {
			t.Fatalf("udp read %s: %v", addr, err)
		}
		return string(buf[:n])
	}
	br := bufio.NewReader(c)
	var got []byte
	for !bytes.Contains(got, []byte(until)) && len(got) < 1<<16 {
		b, err := br.ReadByte()
		if err != nil {
			t.Fatalf("read %s after %q: %v", addr, got, err)
		}
		got = append(got, b)
	}
	return string(got)
}

func soapRequest(op string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body xmlns:tds="http://www.onvif.org/ver10/device/wsdl"><tds:` + op + `/></s:Body></s:Envelope>`
}

const msearchAll = "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\nST: ssdp:all\r\n\r\n"

// snmpGetSysDescr is the real snmpget v2c request of
// shared/peers/captures/snmp-snmpd-public.txt.
var snmpGetSysDescr = []byte{0x30, 0x29, 0x02, 0x01, 0x01, 0x04, 0x06, 0x70, 0x75, 0x62, 0x6c, 0x69, 0x63, 0xa0, 0x1c, 0x02,
	0x04, 0x43, 0x5a, 0x4c, 0xce, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30, 0x0e, 0x30, 0x0c, 0x06,
	0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00, 0x05, 0x00}

// TestCloseReleases checks that Close ends every goroutine and frees every
// port: a second Start on the same prefix works.
func TestCloseReleases(t *testing.T) {
	before := runtime.NumGoroutine()
	for i := range 2 {
		l, err := Start(t.Context(), Options{Prefix: "127.78.2"})
		if err != nil {
			t.Fatalf("start %d: %v", i, err)
		}
		// an open connection must not keep Close waiting
		c, err := net.Dial("tcp", l.Manifest().Devices[0].Address+":8000")
		if err != nil {
			t.Fatal(err)
		}
		if err := l.Close(); err != nil {
			t.Fatalf("close %d: %v", i, err)
		}
		c.Close()
	}
	deadline := time.Now().Add(3 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		runtime.Gosched()
		time.Sleep(10 * time.Millisecond) // polling with a deadline, not waiting for a server
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("goroutines: %d before, %d after Close", before, n)
	}
}

func TestBusyPortFails(t *testing.T) {
	ln, err := net.Listen("tcp", "127.78.3.2:80")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, err = Start(t.Context(), Options{Prefix: "127.78.3"})
	if err == nil || !strings.Contains(err.Error(), "127.78.3.2:80") {
		t.Fatalf("Start with busy port: err = %v, want one naming 127.78.3.2:80", err)
	}
}

func bufioReader(s string) *bufio.Reader { return bufio.NewReader(strings.NewReader(s)) }

// TestProvenance checks that every device says what it is built from and
// that each source it names exists (../shared/data or responses/).
func TestProvenance(t *testing.T) {
	shared := filepath.Join("..", "..", "..", "shared", "data")
	kinds := map[string]bool{ProvenanceCapture: true, ProvenanceDocumented: true, ProvenanceConstructed: true}
	for _, d := range deviceTable() {
		p, ok := provenance[d.Name]
		if !ok || !kinds[p.Kind] || len(p.Sources) == 0 {
			t.Errorf("%s: provenance %+v", d.Name, p)
			continue
		}
		for _, src := range p.Sources {
			path := filepath.Join(shared, filepath.FromSlash(src))
			if name, ok := strings.CutPrefix(src, "responses/"); ok {
				_, err := responseFS.ReadFile("responses/" + name)
				if err != nil {
					t.Errorf("%s: %v", d.Name, err)
				}
				continue
			}
			if _, err := os.Stat(path); err != nil {
				t.Errorf("%s: source %s: %v", d.Name, src, err)
			}
		}
	}
}

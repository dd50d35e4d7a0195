//go:build integration

package integration

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"io"
	"mime"
	"net/mail"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/camwarden/camwarden/internal/alert/alerttest"
)

// smtpPeer is the sink scripts/peers/start-smtp.sh starts.
const smtpPeer = "127.79.0.25:2525"

// smtpPeerDir is the sink's instance directory (cert.pem, password, mail/).
func smtpPeerDir(t *testing.T) string {
	t.Helper()
	d := filepath.Join(cmpOrEnv("PEERS_RUN", "/tmp/camwarden-peers"), "smtp-127.79.0.25-2525")
	if _, err := os.Stat(filepath.Join(d, "cert.pem")); err != nil {
		t.Fatalf("SMTP sink not running (%v): start it with scripts/peers/start-smtp.sh", err)
	}
	return d
}

func cmpOrEnv(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func smtpTLS(t *testing.T, dir string) *tls.Config {
	t.Helper()
	pem, err := os.ReadFile(filepath.Join(dir, "cert.pem"))
	if err != nil {
		t.Fatal(err)
	}
	return &tls.Config{RootCAs: alerttest.Pool(pem)}
}

// sinkMail is one message the sink kept, decoded.
type sinkMail struct {
	From, Subject, Body string
}

// mailsFrom reads the sink's messages sent from one address.
func mailsFrom(t *testing.T, dir, from string) []sinkMail {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "mail", "*.eml"))
	var out []sinkMail
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		m, err := mail.ReadMessage(strings.NewReader(string(b)))
		if err != nil || !strings.Contains(m.Header.Get("From"), from) {
			continue
		}
		subj, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
		body, _ := io.ReadAll(base64.NewDecoder(base64.StdEncoding, m.Body))
		out = append(out, sinkMail{From: from, Subject: subj, Body: string(body)})
	}
	return out
}

// testClock is the serve test's clock: real time plus an offset the
// test advances to reach the next scheduled audit without waiting.
type testClock struct {
	mu  sync.Mutex
	off time.Duration
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return time.Now().Add(c.off) }
func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.off += d
	c.mu.Unlock()
}

// browser starts Debian's Chromium as the report's browser test does.
func browser(t *testing.T, ctx context.Context) context.Context {
	t.Helper()
	const chromium = "/usr/bin/chromium"
	if _, err := os.Stat(chromium); err != nil {
		t.Fatalf("needs Debian's chromium at %s (%v): run scripts/peers/install.sh", chromium, err)
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromium),
		chromedp.Flag("headless", true), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true), chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"), chromedp.ProxyServer("http://127.0.0.1:9"),
		chromedp.Flag("proxy-bypass-list", "127.0.0.1"), // the dashboard only
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
	)
	t.Cleanup(cancelAlloc)
	bctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(cancel)
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return bctx
}

// pageText is the visible text of the current page.
func pageText(t *testing.T, ctx context.Context) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	if err != nil {
		t.Logf("page text: %v", err) // e.g. during a navigation; callers poll
	}
	return s
}

func shoot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := cmpOrEnv("CAMWARDEN_ARTIFACTS", t.TempDir())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s (%d bytes)", path, len(png))
}

func mustAddr(s string) netip.Addr { return netip.MustParseAddr(s) }

func writeFile(path, s string) error { return os.WriteFile(path, []byte(s), 0o600) }

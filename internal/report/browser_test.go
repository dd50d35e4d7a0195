package report

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/i18n"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromiumPath is where Debian's chromium package installs the browser.
const chromiumPath = "/usr/bin/chromium"

// a11yScript collects what the browser test asserts about a rendered
// report: language, headings, images, scripts and labelled SVG.
const a11yScript = `(() => {
  const levels = [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => +h.tagName[1]);
  const skips = []; let prev = 0;
  levels.forEach((l, i) => { if (l > prev + 1) skips.push(i + ': h' + prev + ' -> h' + l); prev = l; });
  const imgs = [...document.images];
  return {
    lang: document.documentElement.lang,
    h1: document.querySelectorAll('h1').length,
    headings: levels.length,
    skips: skips,
    images: imgs.length,
    noAlt: imgs.filter(i => !i.alt.trim()).length,
    broken: imgs.filter(i => !i.complete || i.naturalWidth === 0).length,
    scripts: document.scripts.length,
    unlabelledSVG: [...document.querySelectorAll('svg')].filter(s => !s.getAttribute('aria-labelledby') && !s.getAttribute('aria-label')).length,
    cards: document.querySelectorAll('article.card').length,
  };
})()`

type a11yResult struct {
	Lang          string   `json:"lang"`
	H1            int      `json:"h1"`
	Headings      int      `json:"headings"`
	Skips         []string `json:"skips"`
	Images        int      `json:"images"`
	NoAlt         int      `json:"noAlt"`
	Broken        int      `json:"broken"`
	Scripts       int      `json:"scripts"`
	UnlabelledSVG int      `json:"unlabelledSVG"`
	Cards         int      `json:"cards"`
}

// browserEvents records what the page did: every request and every
// console or log error.
type browserEvents struct {
	mu       sync.Mutex
	requests []string
	errors   []string
}

func (b *browserEvents) listen(ev any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		b.requests = append(b.requests, ev.Request.URL)
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			b.errors = append(b.errors, fmt.Sprintf("console.%s", ev.Type))
		}
	case *runtime.EventExceptionThrown:
		b.errors = append(b.errors, "exception: "+ev.ExceptionDetails.Text)
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.EntryLevelError {
			b.errors = append(b.errors, fmt.Sprintf("log %s: %s %s", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL))
		}
	}
}

// TestHTMLReportInChromium opens the HTML report of the lab scan in
// headless Chromium, in both languages: no console errors, no network
// request other than the file itself and data: URIs, basic accessibility,
// and a screenshot for CI's artefacts.
func TestHTMLReportInChromium(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("headless browser test needs Debian's chromium at %s (%v): run scripts/test.sh, which installs it", chromiumPath, err)
	}
	artefacts := cmpOr(os.Getenv("CAMWARDEN_ARTIFACTS"), os.Getenv("TMPDIR"), os.TempDir())
	if err := os.MkdirAll(artefacts, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 45*time.Second)
	defer cancel()
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", true), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true), chromedp.Flag("metrics-recording-only", true),
		// Belt and braces: even a bug cannot reach a network.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND"), chromedp.ProxyServer("http://127.0.0.1:9"),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1100, 900),
	)
	defer cancelAlloc()
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	defer cancelBrowser()
	if err := chromedp.Do(browserCtx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	for _, lang := range i18n.Langs() {
		t.Run(string(lang), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "report.html")
			f, err := os.Create(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := WriteHTML(f, labScan(), HTMLOptions{Lang: lang, Files: os.DirFS("testdata")}); err != nil {
				t.Fatal(err)
			}
			if err := f.Close(); err != nil {
				t.Fatal(err)
			}
			tabCtx, cancelTab := chromedp.NewContext(browserCtx)
			defer cancelTab()
			var ev browserEvents
			if err := chromedp.Listen(tabCtx, ev.listen); err != nil {
				t.Fatalf("listen: %v", err)
			}
			if _, err := chromedp.Call(tabCtx, network.Enable, network.EnableParams{}); err != nil {
				t.Fatalf("enable network events: %v", err)
			}
			if _, err := chromedp.Call(tabCtx, log.Enable, cdp.Empty{}); err != nil {
				t.Fatalf("enable log events: %v", err)
			}
			url := "file://" + path
			if err := chromedp.Do(tabCtx, chromedp.Navigate(url), chromedp.WaitReady("footer")); err != nil {
				t.Fatalf("load %s: %v", url, err)
			}
			res, err := chromedp.Run(tabCtx, chromedp.Evaluate[a11yResult](a11yScript))
			if err != nil {
				t.Fatalf("accessibility script: %v", err)
			}
			png, err := chromedp.Run(tabCtx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatalf("screenshot: %v", err)
			}
			shot := filepath.Join(artefacts, "report-"+string(lang)+".png")
			if err := os.WriteFile(shot, png, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("screenshot %s (%d bytes)", shot, len(png))
			ev.mu.Lock()
			defer ev.mu.Unlock()
			if !slices.Contains(ev.requests, url) {
				t.Errorf("network listener saw %v, not the document %s: events are not being recorded", ev.requests, url)
			}
			for _, r := range ev.requests {
				if r != url && !strings.HasPrefix(r, "data:") {
					t.Errorf("network request %q: the report must make none", r)
				}
			}
			if len(ev.errors) > 0 {
				t.Errorf("console errors: %v", ev.errors)
			}
			checkA11y(t, res, lang)
		})
	}
}

func checkA11y(t *testing.T, res a11yResult, lang i18n.Lang) {
	t.Helper()
	if res.Lang != string(lang) {
		t.Errorf("html lang = %q, want %q", res.Lang, lang)
	}
	if res.H1 != 1 || len(res.Skips) > 0 || res.Headings < 10 {
		t.Errorf("headings: %d h1 (want 1), %d headings, skipped levels %v", res.H1, res.Headings, res.Skips)
	}
	if res.Images != 1 || res.NoAlt != 0 || res.Broken != 0 {
		t.Errorf("images: %d (want the 1 snapshot), %d without alt, %d not decoded", res.Images, res.NoAlt, res.Broken)
	}
	if res.Scripts != 0 || res.UnlabelledSVG != 0 {
		t.Errorf("%d scripts (want none), %d SVG without a label", res.Scripts, res.UnlabelledSVG)
	}
	if res.Cards != len(labScan().Devices) {
		t.Errorf("%d device cards, want %d", res.Cards, len(labScan().Devices))
	}
}

func cmpOr(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

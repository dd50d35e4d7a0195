//go:build integration

package integration

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/chromedp"

	"github.com/camwarden/camwarden/internal/alert"
	"github.com/camwarden/camwarden/internal/alert/alerttest"
	"github.com/camwarden/camwarden/internal/catalog/creds"
	"github.com/camwarden/camwarden/internal/cli"
	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/i18n"
	"github.com/camwarden/camwarden/internal/lab"
	"github.com/camwarden/camwarden/internal/password"
	"github.com/camwarden/camwarden/internal/serve"
	"github.com/camwarden/camwarden/internal/store/servedb"
	"github.com/camwarden/camwarden/internal/store/sqlite"
	"github.com/camwarden/camwarden/internal/web"
)

const (
	e2ePrefix = "127.78.61"
	e2eSite   = "e2e-shop"
	adminPW   = "violet-harbor-tractor-91-Quill"
	viewerPW  = "amber-meadow-lantern-47-Fjord"
	viewerPW2 = "cobalt-willow-ferry-58-Thistle"
)

// serveEnv is camwarden serve assembled as cmd/camwarden assembles it,
// with a clock the test advances instead of waiting for the schedule.
type serveEnv struct {
	lab   *lab.Lab
	db    *servedb.DB
	svc   *serve.Service
	url   string
	clock *testClock
	hook  *alerttest.Receiver
	smtp  string // the sink's directory
	from  string // this run's sender address (the sink is shared)
}

func startServeEnv(t *testing.T, ctx context.Context) *serveEnv {
	t.Helper()
	l, err := lab.Start(ctx, lab.Options{Prefix: e2ePrefix})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	e := &serveEnv{lab: l, clock: &testClock{}, hook: &alerttest.Receiver{}, smtp: smtpPeerDir(t),
		from: fmt.Sprintf("e2e-%d@camwarden.test", time.Now().UnixNano())}
	hook := httptest.NewServer(e.hook)
	t.Cleanup(hook.Close)
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "camwarden.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	e.db = servedb.NewSQLite(st)
	pw, err := os.ReadFile(filepath.Join(e.smtp, "password"))
	if err != nil {
		t.Fatal(err)
	}
	channels := []alert.Channel{
		&alert.Webhook{ID: "webhook:1", URL: hook.URL, Lang: i18n.EN},
		&alert.Email{ID: "email:1", Addr: smtpPeer, From: e.from, To: []string{"owner@shop.camwarden.test"},
			User: "alerts", Password: strings.TrimSpace(string(pw)), Lang: i18n.JA, TLS: smtpTLS(t, e.smtp)},
	}
	log := slog.New(slog.NewTextHandler(&testWriter{t: t}, &slog.HandlerOptions{Level: slog.LevelInfo}))
	e.svc, err = serve.New(serve.Config{DB: e.db, Scan: cli.SiteScanner(io.Discard, false), Channels: channels,
		Policy: alert.Policy{MinSeverity: finding.SevMedium, SupportDays: 90}, Now: e.clock.Now,
		Poll: 200 * time.Millisecond, Backoff: time.Second, Owner: "e2e", Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	cat, err := creds.Default()
	if err != nil {
		t.Fatal(err)
	}
	dash, err := web.New(web.Config{DB: e.db, Auditor: e.svc, Now: e.clock.Now, MetricsToken: "e2e-metrics-token-0123",
		CheckSite: func(ctx context.Context, s servedb.Site) error { return cli.CheckSite(ctx, s, false) },
		Grade:     func(p string) password.Result { return password.Grade(p, cat) }})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(dash)
	t.Cleanup(srv.Close)
	e.url = srv.URL
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); _ = e.svc.Run(runCtx) }()
	t.Cleanup(func() { stop(); <-done })
	return e
}

type testWriter struct {
	t  *testing.T
	mu sync.Mutex
}

func (w *testWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// waitUntil polls cond with a deadline.
func waitUntil(t *testing.T, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (e *serveEnv) doneAudits(t *testing.T) int {
	site, err := e.db.SiteByName(t.Context(), e2eSite)
	if err != nil {
		return 0
	}
	runs, _ := e.db.SiteRuns(t.Context(), site.ID, 20)
	n := 0
	for _, r := range runs {
		if r.State == servedb.RunDone {
			n++
		}
	}
	return n
}

func (e *serveEnv) device(t *testing.T, vendor string) servedb.DeviceRow {
	t.Helper()
	rows, _, err := e.db.Devices(t.Context(), servedb.DeviceFilter{Site: e2eSite, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if strings.EqualFold(r.Vendor, vendor) {
			return r
		}
	}
	t.Fatalf("no %s device in %+v", vendor, rows)
	return servedb.DeviceRow{}
}

// do runs browser actions, failing the test on error.
func do(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		_, err := chromedp.Steps(actions...)(sctx, tg)
		return err
	})); err != nil {
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
		t.Fatalf("%s: %v\nat %s:\n%.2000s", what, err, loc, text)
	}
}

func count(t *testing.T, ctx context.Context, selector string) int {
	t.Helper()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll(%q).length`, selector)))
	if err != nil {
		t.Fatalf("count %s: %v", selector, err)
	}
	return n
}

// TestServeEndToEnd drives camwarden serve in Chromium: first-run setup,
// login, a site pointing at the lab, the scheduled audit, devices and
// scorecards, accept risk and its expiry, a lab weakness fixed while
// serve runs and the one alert it gives on the webhook and on the real
// SMTP peer, the language switch, a phone-width page, and a viewer who
// cannot change anything.
func TestServeEndToEnd(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 4*time.Minute)
	defer cancel()
	e := startServeEnv(t, ctx)
	token, err := web.SetupToken(ctx, e.db)
	if err != nil || token == "" {
		t.Fatalf("setup token %q: %v", token, err)
	}
	b := browser(t, ctx)
	var security []string
	var mu sync.Mutex
	if err := chromedp.Listen(b, func(ev any) {
		if ev, ok := ev.(*cdplog.EventEntryAdded); ok && (ev.Entry.Source == cdplog.EntrySourceSecurity || strings.Contains(ev.Entry.Text, "Content Security Policy")) {
			mu.Lock()
			security = append(security, ev.Entry.Text)
			mu.Unlock()
		}
	}); err != nil {
		t.Fatalf("listen: %v", err)
	}
	if _, err := chromedp.Call(b, cdplog.Enable, cdp.Empty{}); err != nil {
		t.Fatalf("enable log events: %v", err)
	}

	// first-run setup: the one-time link, the administrator's password
	do(t, b, "setup", chromedp.Navigate(e.url+"/setup?token="+token),
		chromedp.SetValue(chromedp.CSS(`input[name=user]`), "owner"),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), adminPW),
		chromedp.SendKeys(chromedp.CSS(`input[name=password2]`), adminPW),
		chromedp.Click(chromedp.CSS(`#create`)), chromedp.WaitVisible(chromedp.CSS(`section.cards`)))

	// a site pointing at two lab cameras; its first audit is due at once
	do(t, b, "add site", chromedp.Navigate(e.url+"/sites"),
		chromedp.SetValue(chromedp.CSS(`input[name=name]`), e2eSite),
		chromedp.SetValue(chromedp.CSS(`input[name=targets]`), e2ePrefix+".9-10"),
		chromedp.SetValue(chromedp.CSS(`input[name=schedule]`), "every 6h"),
		chromedp.SetValue(chromedp.CSS(`input[name=ports]`), "21,80,554,1900,8000"),
		chromedp.Click(chromedp.CSS(`#addsite`)), chromedp.WaitVisible(chromedp.CSS(`a[href="/devices?site=`+e2eSite+`"]`)))
	waitUntil(t, "the first scheduled audit", 90*time.Second, func() bool { return e.doneAudits(t) >= 1 })

	do(t, b, "device list", chromedp.Navigate(e.url+"/devices?site="+e2eSite), chromedp.WaitVisible(chromedp.CSS(`table.devices`)))
	if n := count(t, b, `table.devices tbody tr`); n != 2 {
		t.Fatalf("%d devices listed, want 2", n)
	}
	if n := count(t, b, `table.devices td.v`); n != 6 {
		t.Errorf("%d scorecard cells, want 6 (3 per device)", n)
	}
	text := pageText(t, b)
	for _, want := range []string{"Axis", "Reolink", "✗"} {
		if !strings.Contains(text, want) {
			t.Errorf("device list lacks %q:\n%s", want, text)
		}
	}
	shoot(t, b, "serve-devices-en")

	// accept a risk on the Reolink camera for one day
	reolink := e.device(t, "Reolink")
	devURL := e.url + "/device?key=" + url.QueryEscape(reolink.Key)
	until := e.clock.Now().AddDate(0, 0, 1).Format("2006-01-02")
	do(t, b, "accept risk", chromedp.Navigate(devURL), chromedp.WaitVisible(chromedp.CSS(`form.accept`)),
		chromedp.SetValue(chromedp.CSS(`form.accept input[name=reason]`), "camera on an isolated VLAN until replaced"),
		chromedp.SetValue(chromedp.CSS(`form.accept input[name=until]`), until),
		chromedp.Click(chromedp.CSS(`form.accept button`)), chromedp.WaitVisible(chromedp.CSS(`p.acc`)))
	if !strings.Contains(pageText(t, b), "camera on an isolated VLAN until replaced") {
		t.Error("the accepted risk is not shown")
	}
	shoot(t, b, "serve-device-en")

	// the owner fixes a weakness while serve runs: the Axis camera's factory password
	if err := e.lab.SetPassword(mustAddr(e2ePrefix+".9"), "root", "Kx7-serve-e2e-Harbor-Lantern"); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(6*time.Hour + time.Minute)
	e.svc.Wake()
	waitUntil(t, "the next scheduled audit", 90*time.Second, func() bool { return e.doneAudits(t) >= 2 })
	waitUntil(t, "both alert deliveries", 60*time.Second, func() bool {
		ds, _ := e.db.RecentDeliveries(ctx, 10)
		sent := 0
		for _, d := range ds {
			if d.State == servedb.DeliverySent {
				sent++
			}
		}
		return sent == 2
	})
	reqs := e.hook.Requests()
	mails := mailsFrom(t, e.smtp, e.from)
	if len(reqs) != 1 || len(mails) != 1 {
		t.Fatalf("%d webhook requests and %d e-mails, want exactly one each", len(reqs), len(mails))
	}
	if !strings.Contains(string(reqs[0].Body), `"kind":"finding.fixed"`) {
		t.Errorf("webhook body has no finding.fixed alert: %s", reqs[0].Body)
	}
	if !strings.Contains(mails[0].Subject, e2eSite) || !strings.Contains(mails[0].Body, "解消") {
		t.Errorf("e-mail %q:\n%s", mails[0].Subject, mails[0].Body)
	}
	axis := e.device(t, "Axis")
	do(t, b, "axis timeline", chromedp.Navigate(e.url+"/device?key="+url.QueryEscape(axis.Key)), chromedp.WaitVisible(chromedp.CSS(`table.timeline`)))
	if n := count(t, b, `table.timeline tbody tr`); n != 2 {
		t.Errorf("%d timeline rows, want 2", n)
	}
	if !strings.Contains(pageText(t, b), "− AUTH-") {
		t.Errorf("the timeline does not show the fixed password finding:\n%s", pageText(t, b))
	}
	do(t, b, "overview", chromedp.Navigate(e.url+"/"), chromedp.WaitVisible(chromedp.CSS(`svg.chart`)))
	if n := count(t, b, `svg.chart circle`); n != 2 {
		t.Errorf("%d points on the trend chart, want 2", n)
	}
	shoot(t, b, "serve-overview-en")
	// printable: under print media the navigation and every form are hidden
	if _, err := chromedp.Call(b, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	visible, err := chromedp.Run(b, chromedp.Evaluate[int](`[...document.querySelectorAll('form, nav, button')].filter(e => getComputedStyle(e).display !== 'none').length`))
	if err != nil || visible != 0 {
		t.Errorf("printing shows %d forms, buttons or menus (%v)", visible, err)
	}
	shoot(t, b, "serve-overview-print")
	if _, err := chromedp.Call(b, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}); err != nil {
		t.Fatal(err)
	}

	// the acceptance expires: the finding is open again
	// (two days later the 12-hour session has expired too: log in again)
	e.clock.Advance(48 * time.Hour)
	do(t, b, "log in again", chromedp.Navigate(devURL), chromedp.WaitVisible(chromedp.CSS(`#login`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=user]`), "owner"),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), adminPW),
		chromedp.Click(chromedp.CSS(`#login`)), chromedp.WaitVisible(chromedp.CSS(`form.accept`)))
	if count(t, b, `p.acc`) != 0 {
		t.Error("the acceptance is still shown after it expired")
	}

	// Japanese by the switch, then a phone-width page
	do(t, b, "switch to Japanese", chromedp.Navigate(e.url+"/"), chromedp.Click(chromedp.CSS(`a[lang=ja]`)),
		chromedp.WaitVisible(chromedp.CSS(`html[lang=ja] section.cards`)))
	if !strings.Contains(pageText(t, b), "概要") {
		t.Error("the Japanese overview is not in Japanese")
	}
	shoot(t, b, "serve-overview-ja")
	do(t, b, "phone", chromedp.EmulateViewport(360, 740), chromedp.Navigate(e.url+"/devices"),
		chromedp.WaitVisible(chromedp.CSS(`table.devices`)))
	if w, err := chromedp.Run(b, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); err != nil || w > 362 {
		t.Errorf("at 360 px the page is %d px wide (%v)", w, err)
	}
	shoot(t, b, "serve-devices-phone")
	do(t, b, "desktop", chromedp.EmulateViewport(1280, 900))

	// a viewer reads and cannot change anything
	do(t, b, "add viewer", chromedp.Navigate(e.url+"/users"),
		chromedp.SetValue(chromedp.CSS(`input[name=user]`), "clerk"),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), viewerPW),
		chromedp.SendKeys(chromedp.CSS(`input[name=password2]`), viewerPW),
		// wait for the new user's row (present: hidden inputs are never
		// visible), not the add button, which is visible before the POST
		// lands; the next click then raced the navigation ("Could not find
		// node with given id")
		chromedp.Click(chromedp.CSS(`#adduser`)), chromedp.WaitReady(chromedp.CSS(`form[action="/users/remove"] input[value=clerk]`)))
	do(t, b, "log out and in as viewer", chromedp.Click(chromedp.CSS(`header form button`)),
		chromedp.WaitVisible(chromedp.CSS(`#login`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=user]`), "clerk"),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), viewerPW),
		chromedp.Click(chromedp.CSS(`#login`)), chromedp.WaitVisible(chromedp.CSS(`section.cards`)),
		chromedp.Navigate(e.url+"/sites"), chromedp.WaitVisible(chromedp.CSS(`table.sites`)))
	if n := count(t, b, `form[action="/sites/add"], form[action="/sites/audit"], form[action="/sites/remove"], form.accept`); n != 0 {
		t.Errorf("the viewer sees %d forms that change things", n)
	}
	// a form the viewer crafts in the page (with its own valid CSRF token) is refused
	forge := `(() => { const f = document.createElement('form'); f.method = 'post'; f.action = '/sites/add';
	  for (const [k, v] of [['csrf', document.querySelector('input[name=csrf]').value], ['name', 'evil'],
	    ['targets', '` + e2ePrefix + `.2'], ['schedule', 'every 1h']]) {
	    const i = document.createElement('input'); i.name = k; i.value = v; f.appendChild(i); }
	  document.body.appendChild(f); f.submit(); return true; })()`
	if _, err := chromedp.Run(b, chromedp.Evaluate[bool](forge)); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the refusal page", 10*time.Second, func() bool { return strings.Contains(pageText(t, b), "禁止") })
	if _, err := e.db.SiteByName(ctx, "evil"); err == nil {
		t.Error("the viewer added a site")
	}

	// the viewer changes their own password, signs out and back in with it
	do(t, b, "viewer changes password", chromedp.Navigate(e.url+"/account"),
		chromedp.SendKeys(chromedp.CSS(`input[name=current]`), viewerPW),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), viewerPW2),
		chromedp.SendKeys(chromedp.CSS(`input[name=password2]`), viewerPW2),
		chromedp.Click(chromedp.CSS(`#changepw`)), chromedp.WaitVisible(chromedp.CSS(`p.msg`)))
	do(t, b, "log out and in with the new password", chromedp.Click(chromedp.CSS(`header form button`)),
		chromedp.WaitVisible(chromedp.CSS(`#login`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=user]`), "clerk"),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), viewerPW2),
		chromedp.Click(chromedp.CSS(`#login`)), chromedp.WaitVisible(chromedp.CSS(`section.cards`)))

	// metrics behind the bearer token
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, e.url+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer e2e-metrics-token-0123")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`camwarden_alert_deliveries{channel="email:1",state="sent"} 1`,
		`camwarden_audit_last_success_timestamp_seconds{site="` + e2eSite + `"}`, `camwarden_devices{checkpoint="1",verdict="fail"}`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %q:\n%s", want, body)
		}
	}
	// the audit the expiry's clock jump made due changes nothing: still one alert each
	waitUntil(t, "the third audit", 90*time.Second, func() bool { return e.doneAudits(t) >= 3 })
	if n, m := len(e.hook.Requests()), len(mailsFrom(t, e.smtp, e.from)); n != 1 || m != 1 {
		t.Errorf("after an audit with no change: %d webhook requests, %d e-mails; want still 1 and 1", n, m)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(security) > 0 {
		t.Errorf("Chromium reported security (CSP) problems: %v", security)
	}
}

package web

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/report"
	"github.com/camwarden/camwarden/internal/store/servedb"
	"github.com/camwarden/camwarden/internal/store/storetest"
)

func TestNoSessionRedirectsToLogin(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	for _, p := range []string{"/", "/devices", "/device?key=x", "/findings", "/sites", "/alerts", "/users", "/audit-log", "/download?scan=1&format=json"} {
		code, _, h := c.get(p)
		if code != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/login") {
			t.Errorf("GET %s: %d to %q, want 303 to /login", p, code, h.Get("Location"))
		}
	}
	if code, _, _ := c.post("/sites/add", url.Values{"name": {"x"}}); code != http.StatusSeeOther {
		t.Errorf("POST without session: %d", code)
	}
}

func TestSetupOnceAndPasswordCheck(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	if code, _, _ := c.get("/setup?token=wrong"); code != http.StatusNotFound {
		t.Errorf("wrong token: %d", code)
	}
	if code := c.setup("owner", "password123"); code != http.StatusOK {
		t.Errorf("weak password: %d, want the form again (200)", code)
	}
	if code := c.setup("owner", strongPW); code != http.StatusSeeOther {
		t.Fatalf("setup: %d", code)
	}
	if code, body, _ := c.get("/"); code != http.StatusOK || !strings.Contains(body, "owner") {
		t.Errorf("after setup: %d", code)
	}
	other := ts.client(t)
	if code, _, _ := other.get("/setup?token=" + ts.token); code != http.StatusNotFound {
		t.Errorf("the setup link worked twice: %d", code)
	}
	u, err := ts.db.UserByName(t.Context(), "owner")
	if err != nil || !strings.HasPrefix(u.Hash, "$argon2id$v=19$") {
		t.Errorf("stored hash %q, %v", u.Hash, err)
	}
	if ok, _ := checkPassword(strongPW, u.Hash); !ok {
		t.Error("the stored hash does not verify")
	}
}

func TestSecurityHeadersAndCookies(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	c.setup("owner", strongPW)
	_, body, h := c.get("/")
	csp := h.Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP %q", csp)
	}
	if strings.Contains(body, "<script") || strings.Contains(body, " style=") {
		t.Error("the page has a script or an inline style")
	}
	u, _ := url.Parse(ts.URL)
	for _, ck := range c.c.Jar.Cookies(u) {
		if ck.Name == sessionCookie {
			return
		}
	}
	t.Error("no session cookie")
}

func TestSessionCookieFlags(t *testing.T) {
	ts := newTestServer(t)
	ts.s.cfg.Secure = true
	c := ts.client(t)
	tok := c.csrf("/setup?token=" + ts.token)
	resp, err := c.c.PostForm(ts.URL+"/setup", url.Values{"csrf": {tok}, "token": {ts.token}, "user": {"owner"},
		"password": {strongPW}, "password2": {strongPW}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var found bool
	for _, ck := range resp.Cookies() {
		if ck.Name == sessionCookie {
			found = true
			if !ck.HttpOnly || !ck.Secure || ck.SameSite != http.SameSiteStrictMode {
				t.Errorf("session cookie %+v: want HttpOnly, Secure, SameSite=Strict", ck)
			}
		}
	}
	if !found {
		t.Error("no session cookie set")
	}
}

func TestCSRF(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	c.setup("owner", strongPW)
	form := url.Values{"name": {"shop"}, "targets": {"127.77.0.0/24"}, "schedule": {"every 6h"}, "depth": {"default"}}
	if code, _, _ := c.post("/sites/add", form); code != http.StatusForbidden {
		t.Errorf("missing CSRF: %d, want 403", code)
	}
	form.Set("csrf", "wrong-token")
	if code, _, _ := c.post("/sites/add", form); code != http.StatusForbidden {
		t.Errorf("wrong CSRF: %d, want 403", code)
	}
	form.Set("csrf", c.csrf("/sites"))
	if code, body, _ := c.post("/sites/add", form); code != http.StatusSeeOther {
		t.Errorf("good CSRF: %d %s", code, body)
	}
	if _, err := ts.db.SiteByName(t.Context(), "shop"); err != nil {
		t.Error(err)
	}
	tok := c.csrf("/sites")
	if code, _, _ := c.post("/sites/schedule", url.Values{"csrf": {tok}, "site": {"shop"}, "schedule": {"hourly"}}); code != http.StatusBadRequest {
		t.Errorf("bad schedule: %d, want 400", code)
	}
	if code, _, _ := c.post("/sites/schedule", url.Values{"csrf": {tok}, "site": {"shop"}, "schedule": {"daily 03:00 quiet 08:00-20:00"}}); code != http.StatusSeeOther {
		t.Errorf("new schedule: %d", code)
	}
	if s, _ := ts.db.SiteByName(t.Context(), "shop"); s.Schedule != "daily 03:00 quiet 08:00-20:00" {
		t.Errorf("schedule %q", s.Schedule)
	}
	if code, _, _ := c.post("/login", url.Values{"user": {"owner"}, "password": {strongPW}}); code != http.StatusForbidden {
		t.Errorf("login without its CSRF token: %d, want 403", code)
	}
	acts, _ := ts.db.Actions(t.Context(), 100, 0)
	var denied int
	for _, a := range acts {
		if a.Action == "denied.csrf" {
			denied++
		}
	}
	if denied != 2 {
		t.Errorf("%d denied.csrf entries in the audit log, want 2", denied)
	}
}

func TestViewerCannotChange(t *testing.T) {
	ts := newTestServer(t, storetest.LabScan(t))
	admin := ts.client(t)
	admin.setup("owner", strongPW)
	tok := admin.csrf("/users")
	if code, _, _ := admin.post("/users/add", url.Values{"csrf": {tok}, "user": {"clerk"}, "role": {"viewer"},
		"password": {strongPW + "x"}, "password2": {strongPW + "x"}}); code != http.StatusSeeOther {
		t.Fatalf("add viewer: %d", code)
	}
	v := ts.client(t)
	if code := v.login("clerk", strongPW+"x"); code != http.StatusSeeOther {
		t.Fatalf("viewer login: %d", code)
	}
	_, body, _ := v.get("/sites")
	if strings.Contains(body, `action="/sites/add"`) || strings.Contains(body, "/sites/audit") {
		t.Error("the viewer is shown forms that change things")
	}
	tok = v.csrf("/sites") // the logout form's token
	rows, _, _ := ts.db.Devices(t.Context(), servedb.DeviceFilter{Limit: 1})
	for path, form := range map[string]url.Values{
		"/sites/add":      {"name": {"x"}, "targets": {"127.77.0.1"}, "schedule": {"every 6h"}},
		"/sites/audit":    {"site": {"x"}},
		"/sites/remove":   {"site": {"x"}},
		"/sites/schedule": {"site": {"x"}, "schedule": {"every 1h"}},
		"/accept":         {"key": {rows[0].Key}, "finding": {"x"}, "reason": {"r"}, "until": {"2099-01-01"}},
		"/users/add":      {"user": {"y"}, "role": {"admin"}, "password": {strongPW}, "password2": {strongPW}},
	} {
		form.Set("csrf", tok)
		if code, _, _ := v.post(path, form); code != http.StatusForbidden {
			t.Errorf("viewer POST %s: %d, want 403", path, code)
		}
	}
	if code, _, _ := v.get("/users"); code != http.StatusForbidden {
		t.Errorf("viewer GET /users: %d", code)
	}
}

func TestLoginThrottled(t *testing.T) {
	ts := newTestServer(t)
	ts.client(t).setup("owner", strongPW)
	c := ts.client(t)
	var codes []int
	for range 20 {
		codes = append(codes, c.login("owner", "wrong-password"))
	}
	if codes[0] != http.StatusUnauthorized || codes[19] != http.StatusTooManyRequests {
		t.Errorf("codes %v: want 401 first, 429 by the 20th", codes)
	}
	if code := c.login("owner", strongPW); code != http.StatusTooManyRequests {
		t.Errorf("right password while throttled: %d, want 429", code)
	}
	// another account from the same address is throttled too (20 per address)
	if code := c.login("someone", "x"); code != http.StatusTooManyRequests {
		t.Errorf("other account from a throttled address: %d, want 429", code)
	}
}

// hostileScan is the lab scan with one device that names itself with a
// script and sends terminal escapes in its banner.
func hostileScan(t *testing.T) *report.Scan {
	s := storetest.LabScan(t)
	d := &s.Devices[0]
	d.Hostname = "<script>alert(1)</script>"
	d.Model = `"><img src=x onerror=alert(2)>`
	d.Services = append(d.Services, probe.Service{Port: 2323, Transport: "tcp", Protocol: "telnet",
		Fields: map[string]string{probe.FieldHTTPTitle: "<script>alert(3)</script>", "banner": "\x1b[2J\x1b[31mOWNED\x07\r\n"}})
	s.Normalize()
	return s
}

func TestDeviceStringsEscaped(t *testing.T) {
	ts := newTestServer(t, hostileScan(t))
	c := ts.client(t)
	c.setup("owner", strongPW)
	rows, _, _ := ts.db.Devices(t.Context(), servedb.DeviceFilter{Limit: 100})
	var key string
	for _, r := range rows {
		if strings.Contains(r.Name, "<script>") {
			key = r.Key
		}
	}
	if key == "" {
		t.Fatal("hostile device not indexed")
	}
	for _, p := range []string{"/", "/devices", "/findings", "/device?key=" + url.QueryEscape(key)} {
		code, body, _ := c.get(p)
		if code != http.StatusOK {
			t.Fatalf("%s: %d", p, code)
		}
		if strings.Contains(body, "<script") || strings.Contains(body, "<img") || strings.Contains(body, "\x1b") || strings.Contains(body, "\x07") {
			t.Errorf("%s: device text reached the page raw", p)
		}
	}
	_, body, _ := c.get("/device?key=" + url.QueryEscape(key))
	contains(t, body, "&lt;script&gt;alert(1)&lt;/script&gt;", "␛[2J␛[31mOWNED␇")
}

func TestPagesAndDownloads(t *testing.T) {
	ts := newTestServer(t, storetest.LabScan(t))
	c := ts.client(t)
	c.setup("owner", strongPW)
	for _, p := range []string{"/", "/devices?sort=vendor&failing=1", "/findings?min=3", "/sites", "/alerts", "/users", "/audit-log"} {
		if code, body, _ := c.get(p); code != http.StatusOK {
			t.Errorf("%s: %d %.300s", p, code, body)
		}
	}
	rows, _, _ := ts.db.Devices(t.Context(), servedb.DeviceFilter{Limit: 1})
	key := url.QueryEscape(rows[0].Key)
	_, body, _ := c.get("/device?key=" + key)
	contains(t, body, "accept", rows[0].Address)
	for format, ctype := range map[string]string{"html": "text/html", "csv": "text/csv", "json": "application/json"} {
		code, body, h := c.get("/download?key=" + key + "&format=" + format)
		if code != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), ctype) || !strings.Contains(body, rows[0].Address) {
			t.Errorf("download %s: %d %q", format, code, h.Get("Content-Type"))
		}
	}
	if code, _, _ := c.get("/download?scan=1&format=json"); code != http.StatusOK {
		t.Errorf("audit download: %d", code)
	}
	_, jbody, _ := c.get("/")
	contains(t, jbody, "✓", "✗")
	// Japanese by Accept-Language, and by the switch
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/devices", nil)
	req.Header.Set("Accept-Language", "ja,en;q=0.5")
	resp, err := c.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatal(resp.Status)
	}
	c.get("/lang?to=ja&back=/devices")
	_, body, _ = c.get("/devices")
	contains(t, body, `lang="ja"`, "機器")
}

func TestAcceptRisk(t *testing.T) {
	ts := newTestServer(t, storetest.LabScan(t))
	c := ts.client(t)
	c.setup("owner", strongPW)
	rows, _, _ := ts.db.Devices(t.Context(), servedb.DeviceFilter{Limit: 1})
	_, fs, _ := ts.db.Observation(t.Context(), rows[0].ObsID)
	f := fs[0]
	tok := c.csrf("/device?key=" + url.QueryEscape(rows[0].Key))
	form := url.Values{"csrf": {tok}, "key": {rows[0].Key}, "finding": {findingKey(f.ID, int(f.Port), f.Protocol)},
		"reason": {"camera on an isolated VLAN"}, "until": {"2099-01-01"}}
	if code, body, _ := c.post("/accept", form); code != http.StatusBadRequest {
		t.Errorf("an expiry decades away: %d %s", code, body)
	}
	form.Set("until", ts.s.cfg.Now().AddDate(0, 0, 10).Format("2006-01-02"))
	if code, _, _ := c.post("/accept", form); code != http.StatusSeeOther {
		t.Fatalf("accept: %d", code)
	}
	_, body, _ := c.get("/device?key=" + url.QueryEscape(rows[0].Key))
	contains(t, body, "camera on an isolated VLAN", "owner")
	acts, _ := ts.db.Actions(t.Context(), 10, 0)
	if len(acts) == 0 || acts[0].Action != "risk.accept" {
		t.Errorf("audit log %+v", acts)
	}
}

func TestMetrics(t *testing.T) {
	ts := newTestServer(t, storetest.LabScan(t))
	c := ts.client(t)
	if code, _, _ := c.get("/metrics"); code != http.StatusUnauthorized {
		t.Errorf("no token: %d", code)
	}
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer metrics-token-123")
	resp, err := c.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b := new(strings.Builder)
	_, _ = io.Copy(b, resp.Body)
	contains(t, b.String(), `camwarden_devices{checkpoint="1",verdict="fail"}`, `camwarden_findings{severity="critical"}`,
		"# TYPE camwarden_alert_deliveries gauge")
}

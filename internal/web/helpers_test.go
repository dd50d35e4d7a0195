package web

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/catalog/creds"
	"github.com/camwarden/camwarden/internal/password"
	"github.com/camwarden/camwarden/internal/report"
	"github.com/camwarden/camwarden/internal/serve"
	"github.com/camwarden/camwarden/internal/store/servedb"
	"github.com/camwarden/camwarden/internal/store/sqlite"
)

// strongPW passes camwarden's password check.
const strongPW = "violet-harbor-tractor-91-Quill"

type fakeAuditor struct {
	mu    sync.Mutex
	sites []string
}

func (a *fakeAuditor) AuditNow(_ context.Context, s servedb.Site) error {
	a.mu.Lock()
	a.sites = append(a.sites, s.Name)
	a.mu.Unlock()
	return nil
}
func (a *fakeAuditor) Wake() {}

type testServer struct {
	*httptest.Server
	s     *Server
	db    *servedb.DB
	st    *sqlite.DB
	aud   *fakeAuditor
	token string
}

func newTestServer(t *testing.T, scans ...*report.Scan) *testServer {
	t.Helper()
	st, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "camwarden.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	db := servedb.NewSQLite(st)
	for _, sc := range scans {
		if _, err := st.SaveScan(t.Context(), sc); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.IndexPending(t.Context()); err != nil {
		t.Fatal(err)
	}
	cat, err := creds.Default()
	if err != nil {
		t.Fatal(err)
	}
	aud := &fakeAuditor{}
	s, err := New(Config{DB: db, Auditor: aud, Grade: func(pw string) password.Result { return password.Grade(pw, cat) },
		MetricsToken: "metrics-token-123",
		CheckSite: func(_ context.Context, site servedb.Site) error {
			_, err := serve.ParseSchedule(site.Schedule)
			return err
		}})
	if err != nil {
		t.Fatal(err)
	}
	s.argon = argonParams{Time: 1, Memory: 1024, Threads: 1, KeyLen: 32} // fast in tests
	ts := &testServer{Server: httptest.NewServer(s), s: s, db: db, st: st, aud: aud}
	t.Cleanup(ts.Close)
	if ts.token, err = SetupToken(t.Context(), db); err != nil {
		t.Fatal(err)
	}
	return ts
}

// client is a browser: cookies, no redirects followed.
type client struct {
	t  *testing.T
	ts *testServer
	c  *http.Client
}

func (ts *testServer) client(t *testing.T) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, ts: ts, c: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (c *client) get(path string) (int, string, http.Header) {
	c.t.Helper()
	resp, err := c.c.Get(c.ts.URL + path)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func (c *client) post(path string, form url.Values) (int, string, http.Header) {
	c.t.Helper()
	resp, err := c.c.PostForm(c.ts.URL+path, form)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf reads the CSRF token of a page's form.
func (c *client) csrf(path string) string {
	c.t.Helper()
	_, body, _ := c.get(path)
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		c.t.Fatalf("no csrf field on %s", path)
	}
	return m[1]
}

// setup creates the first admin through the setup page.
func (c *client) setup(user, pw string) int {
	c.t.Helper()
	path := "/setup?token=" + c.ts.token
	tok := c.csrf(path)
	code, _, _ := c.post("/setup", url.Values{"csrf": {tok}, "token": {c.ts.token}, "user": {user},
		"password": {pw}, "password2": {pw}})
	return code
}

func (c *client) login(user, pw string) int {
	c.t.Helper()
	tok := c.csrf("/login")
	code, _, _ := c.post("/login", url.Values{"csrf": {tok}, "user": {user}, "password": {pw}})
	return code
}

func contains(t *testing.T, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
}

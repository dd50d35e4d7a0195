// Package web is camwarden serve's dashboard: server-rendered pages
// (html/template, embedded CSS and inline SVG, no script and no external
// request) in Japanese or English, the first-run setup, logins with
// argon2id hashes, sessions, CSRF tokens, roles, the audit log of every
// action, downloads of reports, and /metrics for Prometheus.
package web

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/i18n"
	"github.com/camwarden/camwarden/internal/password"
	"github.com/camwarden/camwarden/internal/store/servedb"
)

//go:embed templates/*.tmpl static/*
var assets embed.FS

// Auditor starts audits on demand (the serve service).
type Auditor interface {
	AuditNow(ctx context.Context, site servedb.Site) error
	Wake()
}

// Config configures New.
type Config struct {
	DB      *servedb.DB
	Auditor Auditor
	// CheckSite validates a site as "camwarden scan" validates its
	// targets (scope guard, public ranges, schedule, depth).
	CheckSite func(ctx context.Context, s servedb.Site) error
	// Grade is camwarden's password check, applied to dashboard passwords.
	Grade func(pw string) password.Result
	Now   func() time.Time // nil: time.Now
	// Secure marks cookies Secure (the dashboard is served over TLS).
	Secure bool
	// MetricsToken is the bearer token of /metrics; "" disables it.
	MetricsToken string
	Logger       *slog.Logger
}

// Server is the dashboard's HTTP handler.
type Server struct {
	cfg   Config
	pages map[string]*template.Template
	acct  *limiter // failed logins per account
	addr  *limiter // failed logins per client address
	argon argonParams
	mux   *http.ServeMux
}

// sessionTTL is how long a login lasts.
const sessionTTL = 12 * time.Hour

// New parses the templates and returns the dashboard.
func New(cfg Config) (*Server, error) {
	if cfg.DB == nil || cfg.Grade == nil {
		return nil, errors.New("web: database and password check are required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{cfg: cfg, acct: newLimiter(5, 15*time.Minute), addr: newLimiter(20, 15*time.Minute), argon: defaultArgon}
	if err := s.parse(); err != nil {
		return nil, err
	}
	s.routes()
	return s, nil
}

func (s *Server) parse() error {
	funcs := template.FuncMap{
		"clean": clean, "sev": sevName, "sevclass": sevClass, "symbol": verdictSymbol, "vclass": verdictClass,
		"when": func(t time.Time) string { return fmtTime(t) }, "add": func(a, b int) int { return a + b },
		"pair":   func(p pageData, d any) pair { return pair{P: p, D: d} },
		"list3":  func() []int { return []int{1, 2, 3} },
		"sevs":   func() []int { return []int{0, 1, 2, 3, 4} },
		"sorts":  func() []string { return []string{"risk", "address", "vendor", "seen"} },
		"depths": func() []string { return []string{"default", "common", "extended"} },
		"int":    func(v finding.Severity) int { return int(v) },
	}
	names, err := fs.Glob(assets, "templates/*.tmpl")
	if err != nil {
		return err
	}
	s.pages = map[string]*template.Template{}
	for _, n := range names {
		if n == "templates/layout.tmpl" {
			continue
		}
		t, err := template.New("layout.tmpl").Funcs(funcs).ParseFS(assets, "templates/layout.tmpl", n)
		if err != nil {
			return fmt.Errorf("web: parse %s: %w", n, err)
		}
		s.pages[n[len("templates/"):len(n)-len(".tmpl")]] = t
	}
	return nil
}

// ServeHTTP implements http.Handler: every answer carries the security
// headers (a CSP without script, no framing, no sniffing, no referrer).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin") // "no-referrer" makes Chromium send Origin: null on our own forms
	h.Set("Cache-Control", "no-store")
	if s.cfg.Secure {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	s.mux.ServeHTTP(w, r)
}

// pair hands a page and a value to a shared template part.
type pair struct {
	P pageData
	D any
}

// reqCtx is what a handler knows about the request.
type reqCtx struct {
	lang i18n.Lang
	sess *servedb.Session
	hash string // session token hash
}

func (c *reqCtx) admin() bool { return c.sess != nil && c.sess.User.Role == servedb.RoleAdmin }

type handler func(w http.ResponseWriter, r *http.Request, c *reqCtx)

const sessionCookie = "cw_session"

// session loads the request's session, if any.
func (s *Server) session(r *http.Request) (*servedb.Session, string) {
	ck, err := r.Cookie(sessionCookie)
	if err != nil || len(ck.Value) > 100 {
		return nil, ""
	}
	hash := tokenHash(ck.Value)
	sess, err := s.cfg.DB.SessionByHash(r.Context(), hash, s.cfg.Now())
	if err != nil {
		return nil, ""
	}
	return &sess, hash
}

func tokenHash(v string) string {
	sum := sha256.Sum256([]byte(v))
	return hex.EncodeToString(sum[:])
}

// page wraps a GET handler that needs a login: no session redirects to
// the login page.
func (s *Server) page(h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c := &reqCtx{lang: langOf(r)}
		c.sess, c.hash = s.session(r)
		if c.sess == nil {
			http.Redirect(w, r, "/login?next="+safeNext(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		h(w, r, c)
	}
}

// action wraps a state-changing POST: a session, the session's CSRF
// token, and (unless anyRole) the admin role; else 403.
func (s *Server) action(h handler, anyRole bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c := &reqCtx{lang: langOf(r)}
		c.sess, c.hash = s.session(r)
		if c.sess == nil {
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		if err := r.ParseForm(); err != nil || !sameToken(r.PostFormValue("csrf"), c.sess.CSRF) || !sameOrigin(r) {
			s.log(r, c, "denied.csrf", r.URL.Path)
			s.fail(w, r, c, http.StatusForbidden, "csrf")
			return
		}
		if !anyRole && !c.admin() {
			s.log(r, c, "denied.role", r.URL.Path)
			s.fail(w, r, c, http.StatusForbidden, "forbidden")
			return
		}
		h(w, r, c)
	}
}

// sameOrigin refuses a POST whose Origin header names another site
// (browsers send it; SameSite=Strict cookies already keep sessions out).
func sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" || o == "null" {
		return o == ""
	}
	return o == "http://"+r.Host || o == "https://"+r.Host
}

// clientAddr is the request's peer address (no proxy headers trusted).
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// log appends to the audit log.
func (s *Server) log(r *http.Request, c *reqCtx, action, detail string) {
	actor := "-"
	if c != nil && c.sess != nil {
		actor = c.sess.User.Name
	}
	if err := s.cfg.DB.LogAction(context.WithoutCancel(r.Context()), servedb.Action{At: s.cfg.Now(), Actor: actor,
		Address: clientAddr(r), Action: action, Detail: detail}); err != nil {
		s.cfg.Logger.Error("audit log", "err", err)
	}
}

// safeNext keeps a post-login redirect on this site.
func safeNext(p string) string {
	if len(p) == 0 || p[0] != '/' || (len(p) > 1 && (p[1] == '/' || p[1] == '\\')) || len(p) > 1000 {
		return "/"
	}
	return p
}

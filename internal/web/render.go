package web

import (
	"bytes"
	"crypto/subtle"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/i18n"
	"github.com/camwarden/camwarden/internal/report"
	"github.com/camwarden/camwarden/internal/store/servedb"
)

// pageData is what every template sees.
type pageData struct {
	Lang    string
	Title   string
	User    *servedb.User
	Admin   bool
	CSRF    string
	Path    string
	Nav     string // the menu entry to highlight
	Message string
	Error   string
	LangURL string // switches to the other language
	Data    any
	lang    i18n.Lang
}

// T translates a dashboard word.
func (p pageData) T(key string) string { return tr(p.lang, key) }

// F translates a format and fills it.
func (p pageData) F(key string, a ...any) string { return fmt.Sprintf(tr(p.lang, key), a...) }

// CP names a checkpoint in the page's language.
func (p pageData) CP(cp int) string { return i18n.New(p.lang).T(i18n.Key(fmt.Sprintf("check.%d", cp))) }

// Sev names a severity in the page's language.
func (p pageData) Sev(sev int) string {
	if sev < 0 {
		return "-"
	}
	return i18n.New(p.lang).T(i18n.Key("severity." + finding.Severity(sev).String()))
}

// V names a verdict in the page's language.
func (p pageData) V(v string) string {
	switch report.Verdict(v) {
	case report.VerdictPass:
		return tr(p.lang, "pass")
	case report.VerdictFail:
		return tr(p.lang, "fail")
	}
	return tr(p.lang, "unknown")
}

// Pick chooses a finding text in the page's language.
func (p pageData) Pick(t finding.Text) string {
	if p.lang == i18n.JA && t.JA != "" {
		return t.JA
	}
	if t.EN != "" {
		return t.EN
	}
	return t.JA
}

func (s *Server) data(r *http.Request, c *reqCtx, title, nav string, d any) pageData {
	p := pageData{Lang: string(c.lang), lang: c.lang, Title: tr(c.lang, title), Path: r.URL.Path, Nav: nav, Data: d}
	if c.sess != nil {
		u := c.sess.User
		p.User, p.CSRF, p.Admin = &u, c.sess.CSRF, c.admin()
	}
	other := "ja"
	if c.lang == i18n.JA {
		other = "en"
	}
	p.LangURL = "/lang?to=" + other + "&back=" + url.QueryEscape(safeNext(r.URL.RequestURI()))
	return p
}

// render executes a page template into a buffer, then writes it.
func (s *Server) render(w http.ResponseWriter, name string, status int, p pageData) {
	t := s.pages[name]
	if t == nil {
		http.Error(w, "no such page", http.StatusInternalServerError)
		return
	}
	var b bytes.Buffer
	if err := t.Execute(&b, p); err != nil {
		s.cfg.Logger.Error("render", "page", name, "err", err)
		http.Error(w, "render error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}

// fail shows an error page with a status.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, c *reqCtx, status int, key string) {
	p := s.data(r, c, "app", "", nil)
	p.Error = tr(c.lang, key)
	s.render(w, "error", status, p)
}

func (s *Server) internal(w http.ResponseWriter, r *http.Request, c *reqCtx, err error) {
	s.cfg.Logger.Error("dashboard", "path", r.URL.Path, "err", err)
	p := s.data(r, c, "app", "", nil)
	p.Error = "internal error"
	s.render(w, "error", http.StatusInternalServerError, p)
}

func sameToken(a, b string) bool {
	return a != "" && b != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

func sevName(sev int) string {
	if sev < 0 {
		return "-"
	}
	return finding.Severity(sev).String()
}

func sevClass(sev int) string {
	if sev < 0 {
		return "sev-none"
	}
	return "sev-" + finding.Severity(sev).String()
}

func verdictSymbol(v string) string { return report.Verdict(v).Symbol() }

func verdictClass(v string) string {
	switch report.Verdict(v) {
	case report.VerdictPass:
		return "pass"
	case report.VerdictFail:
		return "fail"
	}
	return "unknown"
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Local().Format("2006-01-02 15:04")
}

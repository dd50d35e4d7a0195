package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/camwarden/camwarden/internal/i18n"
	"github.com/camwarden/camwarden/internal/password"
	"github.com/camwarden/camwarden/internal/store/servedb"
)

// setupKey is the setting holding the hash of the one-time setup token.
const setupKey = "setup.token_sha256"

// SetupToken makes the one-time token of the first-run setup when no
// user exists (replacing an unused one) and returns it; "" when users
// exist. Only its hash is stored.
func SetupToken(ctx context.Context, db *servedb.DB) (string, error) {
	n, err := db.CountUsers(ctx)
	if err != nil || n > 0 {
		return "", err
	}
	tok := randomToken(24)
	sum := sha256.Sum256([]byte(tok))
	if err := db.SetSetting(ctx, setupKey, hex.EncodeToString(sum[:])); err != nil {
		return "", err
	}
	return tok, nil
}

func (s *Server) setupValid(ctx context.Context, tok string) bool {
	want, ok, err := s.cfg.DB.Setting(ctx, setupKey)
	if err != nil || !ok || tok == "" || len(tok) > 100 {
		return false
	}
	sum := sha256.Sum256([]byte(tok))
	return sameToken(hex.EncodeToString(sum[:]), want)
}

// preCSRF is the double-submit token of the forms shown before a
// session exists (login, setup).
const preCookie = "cw_pre"

func (s *Server) preToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(preCookie); err == nil && len(c.Value) >= 20 && len(c.Value) < 100 {
		return c.Value
	}
	v := randomToken(18)
	http.SetCookie(w, &http.Cookie{Name: preCookie, Value: v, Path: "/", HttpOnly: true, Secure: s.cfg.Secure,
		SameSite: http.SameSiteStrictMode, MaxAge: 3600})
	return v
}

func (s *Server) preValid(r *http.Request) bool {
	c, err := r.Cookie(preCookie)
	return err == nil && sameToken(r.PostFormValue("csrf"), c.Value) && sameOrigin(r)
}

type authForm struct {
	Token, Next, User string
	Problems          []string
}

func (s *Server) handleSetup(w http.ResponseWriter, r *http.Request) {
	c := &reqCtx{lang: langOf(r)}
	ctx := r.Context()
	tok := r.FormValue("token")
	if !s.setupValid(ctx, tok) {
		s.fail(w, r, c, http.StatusNotFound, "notfound")
		return
	}
	p := s.data(r, c, "setup", "", nil)
	p.CSRF = s.preToken(w, r)
	form := authForm{Token: tok, User: "admin"}
	if r.Method == http.MethodPost {
		if !s.preValid(r) {
			s.fail(w, r, c, http.StatusForbidden, "csrf")
			return
		}
		form.User = strings.TrimSpace(r.PostFormValue("user"))
		pw := r.PostFormValue("password")
		if problems := s.checkNewPassword(c.lang, form.User, pw, r.PostFormValue("password2")); len(problems) > 0 {
			form.Problems = problems
		} else if err := s.createAdmin(ctx, form.User, pw); err != nil {
			s.internal(w, r, c, err)
			return
		} else {
			s.log(r, &reqCtx{sess: &servedb.Session{User: servedb.User{Name: form.User}}}, "setup", "first administrator created")
			if err := s.login(w, r, form.User); err != nil {
				s.internal(w, r, c, err)
				return
			}
			http.Redirect(w, r, "/", http.StatusSeeOther)
			return
		}
	}
	p.Data = form
	s.render(w, "setup", http.StatusOK, p)
}

func (s *Server) createAdmin(ctx context.Context, user, pw string) error {
	hash, err := hashPassword(pw, s.argon)
	if err != nil {
		return err
	}
	ok, err := s.cfg.DB.AddFirstAdmin(ctx, servedb.User{Name: user, Hash: hash}, s.cfg.Now())
	if err != nil {
		return err
	}
	if !ok {
		return errors.New("setup already done")
	}
	return s.cfg.DB.DeleteSetting(ctx, setupKey)
}

// checkNewPassword applies camwarden's password check to a dashboard
// password: anything but "strong" is refused, with the reasons.
func (s *Server) checkNewPassword(lang i18n.Lang, user, pw, again string) []string {
	if user == "" || len(user) > 64 || strings.ContainsFunc(user, func(r rune) bool { return r < 0x21 || r == 0x7f }) {
		return []string{tr(lang, "username") + ": 1-64, no spaces"}
	}
	if pw != again {
		return []string{tr(lang, "pw.mismatch")}
	}
	res := s.cfg.Grade(pw)
	if strings.EqualFold(pw, user) || res.Verdict != password.Strong {
		sum := res.Summary()
		msg := sum.EN
		if lang == i18n.JA && sum.JA != "" {
			msg = sum.JA
		}
		return []string{tr(lang, "pw.weak") + ": " + msg}
	}
	return nil
}

func (s *Server) login(w http.ResponseWriter, r *http.Request, user string) error {
	u, err := s.cfg.DB.UserByName(r.Context(), user)
	if err != nil {
		return err
	}
	tok, sess := s.newSession()
	if err := s.cfg.DB.AddSession(r.Context(), sess.TokenHash, u.ID, sess.CSRF, sess.Expires); err != nil {
		return err
	}
	s.setSessionCookie(w, tok)
	return nil
}

// newSession makes a session's cookie value and what is stored of it.
func (s *Server) newSession() (string, servedb.NewSession) {
	tok := randomToken(32)
	return tok, servedb.NewSession{TokenHash: tokenHash(tok), CSRF: randomToken(24), Expires: s.cfg.Now().Add(sessionTTL)}
}

func (s *Server) setSessionCookie(w http.ResponseWriter, tok string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: tok, Path: "/", HttpOnly: true, Secure: s.cfg.Secure,
		SameSite: http.SameSiteStrictMode, MaxAge: int(sessionTTL / time.Second)})
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	c := &reqCtx{lang: langOf(r)}
	p := s.data(r, c, "login", "", nil)
	p.CSRF = s.preToken(w, r)
	form := authForm{Next: safeNext(r.FormValue("next"))}
	status := http.StatusOK
	if r.Method == http.MethodPost {
		if !s.preValid(r) {
			s.fail(w, r, c, http.StatusForbidden, "csrf")
			return
		}
		form.User = strings.TrimSpace(r.PostFormValue("user"))
		ok, throttled := s.tryLogin(r, form.User, r.PostFormValue("password"))
		switch {
		case throttled:
			status, p.Error = http.StatusTooManyRequests, tr(c.lang, "login.throttled")
		case !ok:
			status, p.Error = http.StatusUnauthorized, tr(c.lang, "login.bad")
		default:
			if err := s.login(w, r, form.User); err != nil {
				s.internal(w, r, c, err)
				return
			}
			http.Redirect(w, r, form.Next, http.StatusSeeOther)
			return
		}
	}
	p.Data = form
	s.render(w, "login", status, p)
}

// tryLogin checks a login's password under the rate limits and writes
// the outcome to the audit log.
func (s *Server) tryLogin(r *http.Request, user, pw string) (ok, throttled bool) {
	ok, throttled = s.checkThrottled(r, user, pw)
	actx := &reqCtx{sess: &servedb.Session{User: servedb.User{Name: clean(user)}}}
	switch {
	case throttled:
		s.log(r, actx, "login.throttled", "")
	case !ok:
		s.log(r, actx, "login.failed", "")
	default:
		s.log(r, actx, "login", "")
	}
	return ok, throttled
}

// checkThrottled checks user's password under the login limits (per
// account and per client address): an account or an address that failed
// too often is refused without checking anything. Logins and the
// current-password check of a password change share these limits, so a
// stolen session cannot guess the password faster than a login can.
func (s *Server) checkThrottled(r *http.Request, user, pw string) (ok, throttled bool) {
	now := s.cfg.Now()
	addr := clientAddr(r)
	acctKey := strings.ToLower(user)
	if b, _ := s.acct.blocked(acctKey, now); b {
		throttled = true
	}
	if b, _ := s.addr.blocked(addr, now); b {
		throttled = true
	}
	if throttled {
		s.addr.fail(addr, now) // refused tries still count against the address
		return false, true
	}
	u, err := s.cfg.DB.UserByName(r.Context(), user)
	if err == nil {
		ok, _ = checkPassword(pw, u.Hash)
	} else {
		_, _ = checkPassword(pw, dummyHash()) // same time for unknown accounts
	}
	if !ok {
		s.acct.fail(acctKey, now)
		s.addr.fail(addr, now)
		return false, false
	}
	s.acct.reset(acctKey)
	return true, false
}

// dummyHash is checked against for unknown users (cost as for real ones).
var dummyHash = sync.OnceValue(func() string {
	h, _ := hashPassword("camwarden-no-such-user", defaultArgon)
	return h
})

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	_ = s.cfg.DB.DeleteSession(r.Context(), c.hash, s.cfg.Now())
	s.log(r, c, "logout", "")
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: s.cfg.Secure,
		SameSite: http.SameSiteStrictMode, MaxAge: -1})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// handleLang sets the language switch cookie and goes back.
func (s *Server) handleLang(w http.ResponseWriter, r *http.Request) {
	lang, err := i18n.Parse(r.FormValue("to"))
	if err != nil {
		http.Error(w, fmt.Sprintf("language: %v", err), http.StatusBadRequest)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: "cw_lang", Value: string(lang), Path: "/", HttpOnly: true, Secure: s.cfg.Secure,
		SameSite: http.SameSiteLaxMode, MaxAge: 365 * 24 * 3600})
	http.Redirect(w, r, safeNext(r.FormValue("back")), http.StatusSeeOther)
}

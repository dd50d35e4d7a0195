package web

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/camwarden/camwarden/internal/store/servedb"
)

// accountData is the account page: the signed-in user and the problems
// of a refused password change (never the passwords themselves).
type accountData struct {
	Problems []string
}

// handleAccount shows the signed-in user's account page (any role).
func (s *Server) handleAccount(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	p := s.data(r, c, "account", "account", accountData{})
	if r.URL.Query().Get("done") == "password" {
		p.Message = tr(c.lang, "pw.changed")
	}
	s.render(w, "account", http.StatusOK, p)
}

func (s *Server) showAccount(w http.ResponseWriter, r *http.Request, c *reqCtx, status int, problems ...string) {
	s.render(w, "account", status, s.data(r, c, "account", "account", accountData{Problems: problems}))
}

// handlePassword changes the signed-in user's own password. The current
// password is checked under the login throttle; the new one must pass
// the same check as at setup. Every session of the user ends, and this
// browser gets a new one (a new token and CSRF token): whoever may hold
// the old cookie is out too, while the person who just proved the
// password stays signed in.
func (s *Server) handlePassword(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	user := c.sess.User
	ok, throttled := s.checkThrottled(r, user.Name, r.PostFormValue("current"))
	switch {
	case throttled:
		s.log(r, c, "password.throttled", "")
		s.showAccount(w, r, c, http.StatusTooManyRequests, tr(c.lang, "pw.throttled"))
		return
	case !ok:
		s.log(r, c, "password.failed", "wrong current password")
		s.showAccount(w, r, c, http.StatusForbidden, tr(c.lang, "pw.wrongcurrent"))
		return
	}
	pw := r.PostFormValue("password")
	if problems := s.checkNewPassword(c.lang, user.Name, pw, r.PostFormValue("password2")); len(problems) > 0 {
		s.log(r, c, "password.refused", "new password refused by the password check")
		s.showAccount(w, r, c, http.StatusBadRequest, problems...)
		return
	}
	if pw == r.PostFormValue("current") {
		s.showAccount(w, r, c, http.StatusBadRequest, tr(c.lang, "pw.same"))
		return
	}
	hash, err := hashPassword(pw, s.argon)
	if err != nil {
		s.internal(w, r, c, err)
		return
	}
	tok, next := s.newSession()
	ended, err := s.cfg.DB.SetPassword(r.Context(), user.ID, hash, &next)
	if errors.Is(err, servedb.ErrNotFound) { // removed meanwhile
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	if err != nil {
		s.internal(w, r, c, err)
		return
	}
	s.setSessionCookie(w, tok)
	s.log(r, c, "password.change", fmt.Sprintf("other sessions ended: %d; this browser got a new session", max(ended-1, 0)))
	http.Redirect(w, r, "/account?done=password", http.StatusSeeOther)
}

package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/camwarden/camwarden/internal/store/servedb"
)

// usersData is the users page: the accounts, the problems of a refused
// change and the name typed into the add form.
type usersData struct {
	Users    []servedb.User
	Problems []string
	Name     string
	Self     string // the signed-in administrator (no remove/role buttons on their row)
}

func (s *Server) handleUsers(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if !c.admin() {
		s.fail(w, r, c, http.StatusForbidden, "forbidden")
		return
	}
	s.showUsers(w, r, c, usersData{}, http.StatusOK)
}

// userDone are the messages shown after a redirect from a change.
var userDone = map[string]string{"removed": "user.removed", "role": "role.changed"}

func (s *Server) showUsers(w http.ResponseWriter, r *http.Request, c *reqCtx, d usersData, status int) {
	var err error
	if d.Users, err = s.cfg.DB.Users(r.Context()); err != nil {
		s.internal(w, r, c, err)
		return
	}
	d.Self = c.sess.User.Name
	p := s.data(r, c, "users", "users", d)
	if key, ok := userDone[r.URL.Query().Get("done")]; ok && status == http.StatusOK {
		p.Message = tr(c.lang, key)
	}
	s.render(w, "users", status, p)
}

func (s *Server) handleUserAdd(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	name := strings.TrimSpace(r.PostFormValue("user"))
	role := r.PostFormValue("role")
	if role != servedb.RoleAdmin && role != servedb.RoleViewer {
		http.Error(w, "role: admin or viewer", http.StatusBadRequest)
		return
	}
	pw := r.PostFormValue("password")
	if problems := s.checkNewPassword(c.lang, name, pw, r.PostFormValue("password2")); len(problems) > 0 {
		s.showUsers(w, r, c, usersData{Problems: problems, Name: name}, http.StatusBadRequest)
		return
	}
	hash, err := hashPassword(pw, s.argon)
	if err != nil {
		s.internal(w, r, c, err)
		return
	}
	if _, err := s.cfg.DB.AddUser(r.Context(), servedb.User{Name: name, Role: role, Hash: hash}, s.cfg.Now()); err != nil {
		s.showUsers(w, r, c, usersData{Problems: []string{err.Error()}, Name: name}, http.StatusConflict)
		return
	}
	s.log(r, c, "user.add", name+" "+role)
	http.Redirect(w, r, "/users", http.StatusSeeOther)
}

// refuseSelf refuses an administrator's removal or demotion of their own
// account (another administrator must do it, so nobody locks themselves
// out by a slip); it names the last-administrator rule when that is the
// reason too. It reports whether it refused.
func (s *Server) refuseSelf(w http.ResponseWriter, r *http.Request, c *reqCtx, action, target string) bool {
	if target != c.sess.User.Name {
		return false
	}
	key := "user.self"
	if us, err := s.cfg.DB.Users(r.Context()); err == nil && adminCount(us) < 2 {
		key = "user.lastadmin"
	}
	s.log(r, c, action+".refused", clean(target)+": "+texts[key][0])
	s.showUsers(w, r, c, usersData{Problems: []string{tr(c.lang, key)}}, http.StatusConflict)
	return true
}

func adminCount(us []servedb.User) int {
	n := 0
	for _, u := range us {
		if u.Role == servedb.RoleAdmin {
			n++
		}
	}
	return n
}

// handleUserRemove removes a user; their sessions end in the same
// transaction, so their next request goes to the login page.
func (s *Server) handleUserRemove(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	name := r.PostFormValue("user")
	if s.refuseSelf(w, r, c, "user.remove", name) {
		return
	}
	u, ended, err := s.cfg.DB.RemoveUser(r.Context(), name)
	if !s.userChangeDone(w, r, c, "user.remove", name, err) {
		return
	}
	s.log(r, c, "user.remove", fmt.Sprintf("%s (%s), sessions ended: %d", u.Name, u.Role, ended))
	http.Redirect(w, r, "/users?done=removed", http.StatusSeeOther)
}

// handleUserRole makes a user an administrator or a viewer; the change
// applies to their open sessions at their next request.
func (s *Server) handleUserRole(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	name, role := r.PostFormValue("user"), r.PostFormValue("role")
	if role != servedb.RoleAdmin && role != servedb.RoleViewer {
		s.showUsers(w, r, c, usersData{Problems: []string{tr(c.lang, "role") + ": admin / viewer"}}, http.StatusBadRequest)
		return
	}
	if s.refuseSelf(w, r, c, "user.role", name) {
		return
	}
	old, err := s.cfg.DB.SetRole(r.Context(), name, role)
	if !s.userChangeDone(w, r, c, "user.role", name, err) {
		return
	}
	if old != role {
		s.log(r, c, "user.role", fmt.Sprintf("%s: %s -> %s", name, old, role))
	}
	http.Redirect(w, r, "/users?done=role", http.StatusSeeOther)
}

// userChangeDone answers a failed removal or role change (unknown user →
// 404, last administrator → 409 with the rule) and reports whether the
// change went through.
func (s *Server) userChangeDone(w http.ResponseWriter, r *http.Request, c *reqCtx, action, name string, err error) bool {
	switch {
	case err == nil:
		return true
	case errors.Is(err, servedb.ErrNotFound):
		s.fail(w, r, c, http.StatusNotFound, "notfound")
	case errors.Is(err, servedb.ErrLastAdmin):
		s.log(r, c, action+".refused", clean(name)+": "+texts["user.lastadmin"][0])
		s.showUsers(w, r, c, usersData{Problems: []string{tr(c.lang, "user.lastadmin")}}, http.StatusConflict)
	default:
		s.internal(w, r, c, err)
	}
	return false
}

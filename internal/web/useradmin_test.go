package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/camwarden/camwarden/internal/store/servedb"
)

func (c *client) removeUser(name string) (int, string) {
	c.t.Helper()
	code, body, _ := c.post("/users/remove", url.Values{"csrf": {c.csrf("/users")}, "user": {name}})
	return code, body
}

func (c *client) setRole(name, role string) (int, string) {
	c.t.Helper()
	code, body, _ := c.post("/users/role", url.Values{"csrf": {c.csrf("/users")}, "user": {name}, "role": {role}})
	return code, body
}

func TestUserAdminRefusals(t *testing.T) {
	const lastAdmin, self = "At least one administrator must remain", "You cannot remove your own account or change your own role"
	for _, tc := range []struct {
		name       string
		admins     []string // besides owner
		op, target string
		want       int
		wantText   string
	}{
		{"last admin cannot remove themselves", nil, "remove", "owner", http.StatusConflict, lastAdmin},
		{"last admin cannot demote themselves", nil, "role", "owner", http.StatusConflict, lastAdmin},
		{"an admin cannot remove themselves", []string{"deputy"}, "remove", "owner", http.StatusConflict, self},
		{"an admin cannot demote themselves", []string{"deputy"}, "role", "owner", http.StatusConflict, self},
		{"another admin can be removed", []string{"deputy"}, "remove", "deputy", http.StatusSeeOther, ""},
		{"another admin can be demoted", []string{"deputy"}, "role", "deputy", http.StatusSeeOther, ""},
		{"unknown user", nil, "remove", "nobody", http.StatusNotFound, "Not found."},
		{"unknown role", []string{"deputy"}, "role", "deputy", http.StatusBadRequest, "Role"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestServer(t)
			c := ts.client(t)
			c.setup("owner", strongPW)
			for _, a := range tc.admins {
				c.addUser(a, servedb.RoleAdmin, otherPW)
			}
			var code int
			var body string
			switch {
			case tc.op == "remove":
				code, body = c.removeUser(tc.target)
			case tc.name == "unknown role":
				code, body = c.setRole(tc.target, "root")
			default:
				code, body = c.setRole(tc.target, servedb.RoleViewer)
			}
			if code != tc.want {
				t.Errorf("%d, want %d: %.300s", code, tc.want, body)
			}
			contains(t, body, tc.wantText)
			us, _ := ts.db.Users(t.Context())
			if n := adminCount(us); n < 1 {
				t.Errorf("%d administrators left", n)
			}
			if tc.want != http.StatusSeeOther && len(us) != 1+len(tc.admins) {
				t.Errorf("%d users after a refused change", len(us))
			}
			if tc.want == http.StatusSeeOther && adminCount(us) != 1 {
				t.Errorf("%d administrators after the change, want 1", adminCount(us))
			}
		})
	}
}

func TestUserAdminJapanese(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	c.setup("owner", strongPW)
	c.get("/lang?to=ja&back=/users")
	_, body := c.removeUser("owner")
	contains(t, body, "管理者が最低1人必要です。")
	c.addUser("deputy", servedb.RoleAdmin, otherPW)
	_, body = c.setRole("owner", servedb.RoleViewer)
	contains(t, body, "自分のアカウントの削除や権限の変更はできません。")
	_, body, _ = c.get("/users")
	contains(t, body, "権限を変更", "（あなた）", `action="/users/remove"`)
	_, body, _ = c.get("/account")
	contains(t, body, "パスワードの変更", "現在のパスワード", "新しいパスワード（確認）")
}

func TestRemovedUserSignedOut(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.client(t)
	admin.setup("owner", strongPW)
	admin.addUser("clerk", servedb.RoleViewer, otherPW)
	clerk := ts.client(t)
	if code := clerk.login("clerk", otherPW); code != http.StatusSeeOther || !clerk.signedIn() {
		t.Fatalf("clerk login: %d", code)
	}
	if code, body := admin.removeUser("clerk"); code != http.StatusSeeOther {
		t.Fatalf("remove: %d %.300s", code, body)
	}
	_, body, _ := admin.get("/users?done=removed")
	contains(t, body, "The user was removed and signed out.")
	if strings.Contains(body, ">clerk<") {
		t.Error("the removed user is still listed")
	}
	code, _, h := clerk.get("/devices")
	if code != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/login") {
		t.Errorf("removed user's next request: %d to %q, want 303 to /login", code, h.Get("Location"))
	}
	if code, _, _ := clerk.post("/account/password", url.Values{"csrf": {"x"}}); code != http.StatusSeeOther {
		t.Errorf("removed user's POST: %d, want 303 to /login", code)
	}
	if code := ts.client(t).login("clerk", otherPW); code != http.StatusUnauthorized {
		t.Errorf("removed user's login: %d, want 401", code)
	}
}

// TestRoleChangeAppliesAtOnce: a demoted administrator's open session
// loses the admin pages at its next request; a promoted viewer gains them.
func TestRoleChangeAppliesAtOnce(t *testing.T) {
	ts := newTestServer(t)
	owner := ts.client(t)
	owner.setup("owner", strongPW)
	owner.addUser("deputy", servedb.RoleAdmin, otherPW)
	owner.addUser("clerk", servedb.RoleViewer, newPW)
	deputy, clerk := ts.client(t), ts.client(t)
	deputy.login("deputy", otherPW)
	clerk.login("clerk", newPW)
	if code, _ := owner.setRole("deputy", servedb.RoleViewer); code != http.StatusSeeOther {
		t.Fatalf("demote: %d", code)
	}
	if code, _ := owner.setRole("clerk", servedb.RoleAdmin); code != http.StatusSeeOther {
		t.Fatalf("promote: %d", code)
	}
	if code, _, _ := deputy.get("/users"); code != http.StatusForbidden {
		t.Errorf("demoted admin GET /users: %d, want 403", code)
	}
	if code, _, _ := clerk.get("/users"); code != http.StatusOK {
		t.Errorf("promoted viewer GET /users: %d, want 200", code)
	}
}

// TestUserChangesAudited: every change is in the audit log with who
// made it, and no password or hash is in the log or on any page.
func TestUserChangesAudited(t *testing.T) {
	ts := newTestServer(t)
	owner := ts.client(t)
	owner.setup("owner", strongPW)
	owner.addUser("deputy", servedb.RoleAdmin, otherPW)
	owner.addUser("clerk", servedb.RoleViewer, newPW)
	var bodies []string
	keep := func(_ int, b string) { bodies = append(bodies, b) }
	keep(owner.changePassword("wrong-"+otherPW, newPW, newPW))
	keep(owner.changePassword(strongPW, "password123", "password123"))
	keep(owner.changePassword(strongPW, strongPW+"-2", strongPW+"-2"))
	keep(owner.setRole("clerk", servedb.RoleAdmin))
	keep(owner.setRole("deputy", servedb.RoleViewer))
	keep(owner.removeUser("deputy"))
	keep(owner.removeUser("owner"))
	for _, p := range []string{"/audit-log", "/users", "/account"} {
		_, b, _ := owner.get(p)
		bodies = append(bodies, b)
	}
	acts, err := ts.db.Actions(t.Context(), 1000, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"password.failed":     "owner",
		"password.refused":    "owner",
		"password.change":     "owner",
		"user.role":           "owner",
		"user.remove":         "owner",
		"user.remove.refused": "owner",
	}
	seen := map[string]bool{}
	for _, a := range acts {
		if actor, ok := want[a.Action]; ok && a.Actor == actor {
			seen[a.Action] = true
		}
		for _, secret := range []string{strongPW, otherPW, newPW, "password123", "$argon2"} {
			if strings.Contains(a.Detail, secret) || strings.Contains(a.Actor, secret) {
				t.Errorf("audit entry %s %q holds a secret", a.Action, a.Detail)
			}
		}
	}
	for action := range want {
		if !seen[action] {
			t.Errorf("no %s entry by owner", action)
		}
	}
	for _, wantDetail := range []string{"clerk: viewer -> admin", "deputy: admin -> viewer", "deputy (viewer), sessions ended: 0"} {
		found := false
		for _, a := range acts {
			found = found || a.Detail == wantDetail
		}
		if !found {
			t.Errorf("no audit entry %q", wantDetail)
		}
	}
	for i, b := range bodies {
		for _, secret := range []string{strongPW, otherPW, newPW, "$argon2"} {
			if strings.Contains(b, secret) {
				t.Errorf("page %d shows a password or hash", i)
			}
		}
	}
}

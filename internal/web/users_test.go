package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/camwarden/camwarden/internal/store/servedb"
)

// newPW and otherPW pass camwarden's password check.
const (
	newPW   = "copper-lantern-meadow-47-Sprig"
	otherPW = "granite-orchid-voyage-63-Plume"
)

// addUser adds a user through the users page of an admin's browser.
func (c *client) addUser(name, role, pw string) {
	c.t.Helper()
	code, body, _ := c.post("/users/add", url.Values{"csrf": {c.csrf("/users")}, "user": {name}, "role": {role},
		"password": {pw}, "password2": {pw}})
	if code != http.StatusSeeOther {
		c.t.Fatalf("add user %s: %d %.300s", name, code, body)
	}
}

func (c *client) changePassword(current, pw, again string) (int, string) {
	c.t.Helper()
	code, body, _ := c.post("/account/password", url.Values{"csrf": {c.csrf("/account")}, "current": {current},
		"password": {pw}, "password2": {again}})
	return code, body
}

// signedIn reports whether the browser's session still opens a page.
func (c *client) signedIn() bool {
	c.t.Helper()
	code, _, h := c.get("/devices")
	if code == http.StatusSeeOther && strings.HasPrefix(h.Get("Location"), "/login") {
		return false
	}
	if code != http.StatusOK {
		c.t.Fatalf("GET /devices: %d", code)
	}
	return true
}

func TestPasswordChangeRefusals(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	c.setup("owner", strongPW)
	for _, tc := range []struct {
		name               string
		current, pw, again string
		want               int
		wantText, wantJA   string
	}{
		{"wrong current password", "not-the-password", newPW, newPW, http.StatusForbidden, "The current password is wrong.", "現在のパスワードが違います。"},
		{"weak new password", strongPW, "password123", "password123", http.StatusBadRequest, "Password refused", "パスワードは使えません"},
		{"new password is the user name", strongPW, "owner", "owner", http.StatusBadRequest, "Password refused", "パスワードは使えません"},
		{"the two differ", strongPW, newPW, newPW + "x", http.StatusBadRequest, "The two passwords differ.", "2つのパスワードが一致しません。"},
		{"same as the current one", strongPW, strongPW, strongPW, http.StatusBadRequest, "must differ from the current one", "現在のものと別に"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, body := c.changePassword(tc.current, tc.pw, tc.again)
			if code != tc.want {
				t.Errorf("%d, want %d", code, tc.want)
			}
			contains(t, body, tc.wantText)
			for _, secret := range []string{tc.current, tc.pw} {
				if len(secret) > 5 && strings.Contains(body, secret) {
					t.Errorf("the page shows a password (%q)", secret)
				}
			}
			c.get("/lang?to=ja&back=/account")
			_, body = c.changePassword(tc.current, tc.pw, tc.again)
			contains(t, body, tc.wantJA)
			c.get("/lang?to=en&back=/account")
			if !c.signedIn() {
				t.Error("a refused change ended the session")
			}
		})
	}
	u, _ := ts.db.UserByName(t.Context(), "owner")
	if ok, _ := checkPassword(strongPW, u.Hash); !ok {
		t.Error("a refused change altered the password")
	}
}

func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	ts := newTestServer(t)
	laptop := ts.client(t)
	laptop.setup("owner", strongPW)
	phone := ts.client(t)
	if code := phone.login("owner", strongPW); code != http.StatusSeeOther {
		t.Fatalf("second login: %d", code)
	}
	u, _ := url.Parse(ts.URL)
	oldCookies := laptop.c.Jar.Cookies(u)
	if code, body := laptop.changePassword(strongPW, newPW, newPW); code != http.StatusSeeOther {
		t.Fatalf("change: %d %.300s", code, body)
	}
	_, body, _ := laptop.get("/account?done=password")
	contains(t, body, "Password changed.")
	if !laptop.signedIn() {
		t.Error("the browser that changed the password was signed out")
	}
	if phone.signedIn() {
		t.Error("the other session survived the password change")
	}
	replay := ts.client(t) // the laptop's cookie from before the change (e.g. stolen)
	replay.c.Jar.SetCookies(u, oldCookies)
	if replay.signedIn() {
		t.Error("the session token from before the change still works")
	}
	if code := ts.client(t).login("owner", strongPW); code != http.StatusUnauthorized {
		t.Errorf("old password: %d, want 401", code)
	}
	if code := ts.client(t).login("owner", newPW); code != http.StatusSeeOther {
		t.Errorf("new password: %d, want 303", code)
	}
}

// TestPasswordChangeThrottled: the current-password check counts
// against the login limits, so a stolen session cannot brute-force it.
func TestPasswordChangeThrottled(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	c.setup("owner", strongPW)
	var codes []int
	for range 5 {
		code, _ := c.changePassword("guess-"+randomToken(4), newPW, newPW)
		codes = append(codes, code)
	}
	code, body := c.changePassword(strongPW, newPW, newPW)
	if codes[0] != http.StatusForbidden || code != http.StatusTooManyRequests {
		t.Errorf("codes %v then %d with the right password: want 403s, then 429", codes, code)
	}
	contains(t, body, "Too many wrong passwords.")
	if code := ts.client(t).login("owner", strongPW); code != http.StatusTooManyRequests {
		t.Errorf("login after the guesses: %d, want 429 (one limit per account)", code)
	}
	u, _ := ts.db.UserByName(t.Context(), "owner")
	if ok, _ := checkPassword(strongPW, u.Hash); !ok {
		t.Error("the password changed while throttled")
	}
	if n := countActions(t, ts, "password.failed"); n != 5 {
		t.Errorf("%d password.failed entries, want 5", n)
	}
	if n := countActions(t, ts, "password.throttled"); n != 1 {
		t.Errorf("%d password.throttled entries, want 1", n)
	}
}

func countActions(t *testing.T, ts *testServer, action string) int {
	t.Helper()
	acts, err := ts.db.Actions(t.Context(), 1000, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, a := range acts {
		if a.Action == action {
			n++
		}
	}
	return n
}

func TestUserChangesNeedCSRF(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	c.setup("owner", strongPW)
	c.addUser("clerk", servedb.RoleViewer, otherPW)
	for _, tc := range []struct {
		path string
		form url.Values
	}{
		{"/account/password", url.Values{"current": {strongPW}, "password": {newPW}, "password2": {newPW}}},
		{"/users/remove", url.Values{"user": {"clerk"}}},
		{"/users/role", url.Values{"user": {"clerk"}, "role": {"admin"}}},
	} {
		for _, tok := range []string{"", "wrong-token"} {
			t.Run(tc.path+"/"+tok, func(t *testing.T) {
				if tok != "" {
					tc.form.Set("csrf", tok)
				}
				if code, _, _ := c.post(tc.path, tc.form); code != http.StatusForbidden {
					t.Errorf("%d, want 403", code)
				}
			})
		}
	}
	if u, err := ts.db.UserByName(t.Context(), "clerk"); err != nil || u.Role != servedb.RoleViewer {
		t.Errorf("clerk after refused changes: %+v, %v", u, err)
	}
	if u, _ := ts.db.UserByName(t.Context(), "owner"); func() bool { ok, _ := checkPassword(strongPW, u.Hash); return !ok }() {
		t.Error("the password changed without a CSRF token")
	}
}

func TestViewerCannotManageUsers(t *testing.T) {
	ts := newTestServer(t)
	admin := ts.client(t)
	admin.setup("owner", strongPW)
	admin.addUser("clerk", servedb.RoleViewer, otherPW)
	v := ts.client(t)
	if code := v.login("clerk", otherPW); code != http.StatusSeeOther {
		t.Fatalf("viewer login: %d", code)
	}
	tok := v.csrf("/account")
	for _, tc := range []struct {
		path string
		form url.Values
	}{
		{"/users/remove", url.Values{"user": {"owner"}}},
		{"/users/role", url.Values{"user": {"owner"}, "role": {"viewer"}}},
		{"/users/role", url.Values{"user": {"clerk"}, "role": {"admin"}}},
	} {
		tc.form.Set("csrf", tok)
		if code, _, _ := v.post(tc.path, tc.form); code != http.StatusForbidden {
			t.Errorf("viewer POST %s %v: %d, want 403", tc.path, tc.form, code)
		}
	}
	if n := countActions(t, ts, "denied.role"); n != 3 {
		t.Errorf("%d denied.role entries, want 3", n)
	}
	// a viewer changes their own password
	if code, body := v.changePassword(otherPW, newPW, newPW); code != http.StatusSeeOther {
		t.Errorf("viewer's own password change: %d %.300s", code, body)
	}
	if us, _ := ts.db.Users(t.Context()); adminCount(us) != 1 || len(us) != 2 {
		t.Errorf("users after the viewer's tries: %+v", us)
	}
}

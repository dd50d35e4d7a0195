package servedb

import (
	"errors"
	"sync"
	"testing"
	"time"
)

// addUsers stores users named by role ("a1": admin, "v1": viewer...).
func addUsers(t *testing.T, db *DB, names map[string]string) map[string]User {
	t.Helper()
	out := map[string]User{}
	for name, role := range names {
		u, err := db.AddUser(t.Context(), User{Name: name, Role: role, Hash: "hash-of-" + name}, t0)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = u
	}
	return out
}

func TestSetPasswordEndsSessions(t *testing.T) {
	db, _ := openTemp(t)
	ctx := t.Context()
	us := addUsers(t, db, map[string]string{"owner": RoleAdmin, "clerk": RoleViewer})
	owner := us["owner"]
	for _, th := range []string{"laptop", "phone", "stolen"} {
		if err := db.AddSession(ctx, th, owner.ID, "csrf-"+th, t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.AddSession(ctx, "clerk-desk", us["clerk"].ID, "c", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	ended, err := db.SetPassword(ctx, owner.ID, "new-hash", &NewSession{TokenHash: "laptop-2", CSRF: "csrf-2", Expires: t0.Add(time.Hour)})
	if err != nil || ended != 3 {
		t.Fatalf("SetPassword = %d, %v; want 3 sessions ended", ended, err)
	}
	for _, th := range []string{"laptop", "phone", "stolen"} {
		if _, err := db.SessionByHash(ctx, th, t0); !errors.Is(err, ErrNotFound) {
			t.Errorf("session %s survived the password change: %v", th, err)
		}
	}
	if s, err := db.SessionByHash(ctx, "laptop-2", t0); err != nil || s.User.Name != "owner" || s.CSRF != "csrf-2" {
		t.Errorf("renewed session = %+v, %v", s, err)
	}
	if _, err := db.SessionByHash(ctx, "clerk-desk", t0); err != nil {
		t.Errorf("another user's session ended: %v", err)
	}
	if u, _ := db.UserByName(ctx, "owner"); u.Hash != "new-hash" {
		t.Errorf("hash %q", u.Hash)
	}
	if _, err := db.SetPassword(ctx, 9999, "h", nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("SetPassword of a missing user: %v, want ErrNotFound", err)
	}
}

func TestRemoveUserAndSetRole(t *testing.T) {
	type step struct {
		op, name, role string // op: remove | role
		want           error
	}
	for _, tc := range []struct {
		name   string
		users  map[string]string
		steps  []step
		admins int // administrators left
	}{
		{"last admin cannot be removed", map[string]string{"a1": RoleAdmin, "v1": RoleViewer},
			[]step{{"remove", "a1", "", ErrLastAdmin}}, 1},
		{"last admin cannot be demoted", map[string]string{"a1": RoleAdmin, "v1": RoleViewer},
			[]step{{"role", "a1", RoleViewer, ErrLastAdmin}}, 1},
		{"one of two admins removed, then not the other", map[string]string{"a1": RoleAdmin, "a2": RoleAdmin},
			[]step{{"remove", "a2", "", nil}, {"remove", "a1", "", ErrLastAdmin}}, 1},
		{"demoted, then the other refused", map[string]string{"a1": RoleAdmin, "a2": RoleAdmin},
			[]step{{"role", "a1", RoleViewer, nil}, {"role", "a2", RoleViewer, ErrLastAdmin}}, 1},
		{"viewer promoted, old admin demoted", map[string]string{"a1": RoleAdmin, "v1": RoleViewer},
			[]step{{"role", "v1", RoleAdmin, nil}, {"role", "a1", RoleViewer, nil}}, 1},
		{"viewer removed", map[string]string{"a1": RoleAdmin, "v1": RoleViewer},
			[]step{{"remove", "v1", "", nil}}, 1},
		{"same role is a no-op", map[string]string{"a1": RoleAdmin},
			[]step{{"role", "a1", RoleAdmin, nil}}, 1},
		{"unknown user", map[string]string{"a1": RoleAdmin},
			[]step{{"remove", "nobody", "", ErrNotFound}, {"role", "nobody", RoleAdmin, ErrNotFound}}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, _ := openTemp(t)
			addUsers(t, db, tc.users)
			for _, s := range tc.steps {
				var err error
				if s.op == "remove" {
					_, _, err = db.RemoveUser(t.Context(), s.name)
				} else {
					_, err = db.SetRole(t.Context(), s.name, s.role)
				}
				if (s.want == nil) != (err == nil) || (s.want != nil && !errors.Is(err, s.want)) {
					t.Errorf("%s %s %s: %v, want %v", s.op, s.name, s.role, err, s.want)
				}
			}
			if n := countAdmins(t, db); n != tc.admins {
				t.Errorf("%d administrators left, want %d", n, tc.admins)
			}
		})
	}
}

func countAdmins(t *testing.T, db *DB) int {
	t.Helper()
	us, err := db.Users(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, u := range us {
		if u.Role == RoleAdmin {
			n++
		}
	}
	return n
}

func TestRemoveUserEndsSessions(t *testing.T) {
	db, _ := openTemp(t)
	ctx := t.Context()
	us := addUsers(t, db, map[string]string{"owner": RoleAdmin, "clerk": RoleViewer})
	for _, th := range []string{"c1", "c2"} {
		if err := db.AddSession(ctx, th, us["clerk"].ID, "x", t0.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	u, ended, err := db.RemoveUser(ctx, "clerk")
	if err != nil || ended != 2 || u.Role != RoleViewer || u.Hash != "" {
		t.Fatalf("RemoveUser = %+v, %d, %v", u, ended, err)
	}
	if _, err := db.SessionByHash(ctx, "c1", t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("removed user's session: %v", err)
	}
	if _, err := db.UserByName(ctx, "clerk"); !errors.Is(err, ErrNotFound) {
		t.Errorf("removed user still there: %v", err)
	}
	// a new user taking the name (or a reused SQLite rowid) inherits nothing
	nu, err := db.AddUser(ctx, User{Name: "clerk", Role: RoleViewer, Hash: "h2"}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SessionByHash(ctx, "c2", t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("new user %d got the removed user's session: %v", nu.ID, err)
	}
}

// TestConcurrentDemotions: two administrators demoting each other at
// once leave exactly one administrator.
func TestConcurrentDemotions(t *testing.T) {
	db, _ := openTemp(t)
	addUsers(t, db, map[string]string{"a1": RoleAdmin, "a2": RoleAdmin})
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, name := range []string{"a1", "a2"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = db.SetRole(t.Context(), name, RoleViewer)
		}()
	}
	wg.Wait()
	if n := countAdmins(t, db); n != 1 {
		t.Errorf("%d administrators after concurrent demotions (%v), want 1", n, errs)
	}
	if (errs[0] == nil) == (errs[1] == nil) || !errors.Is(errors.Join(errs...), ErrLastAdmin) {
		t.Errorf("errors %v: want one success and one ErrLastAdmin", errs)
	}
}

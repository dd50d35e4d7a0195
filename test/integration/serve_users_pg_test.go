//go:build integration

package integration

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/camwarden/camwarden/internal/store/postgres"
	"github.com/camwarden/camwarden/internal/store/servedb"
)

// TestServeUsersPostgres runs the dashboard's user changes on the
// PostgreSQL peer, where transactions run concurrently (READ COMMITTED):
// two administrators removing or demoting each other at the same moment
// must leave exactly one administrator, without a deadlock error, in
// every round; a password change ends the user's sessions and keeps the
// new one.
func TestServeUsersPostgres(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	pg, err := postgres.Open(ctx, fleetDB(t), postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	db := servedb.NewPostgres(pg)
	defer db.Close()
	now := time.Now()
	for _, op := range []string{"demote", "remove"} {
		for round := range 15 {
			names := [2]string{fmt.Sprintf("%s-%d-a", op, round), fmt.Sprintf("%s-%d-b", op, round)}
			for _, n := range names {
				if _, err := db.AddUser(ctx, servedb.User{Name: n, Role: servedb.RoleAdmin, Hash: "h"}, now); err != nil {
					t.Fatal(err)
				}
			}
			var wg sync.WaitGroup
			var errs [2]error
			start := make(chan struct{})
			for i, n := range names {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					if op == "demote" {
						_, errs[i] = db.SetRole(ctx, n, servedb.RoleViewer)
					} else {
						_, _, errs[i] = db.RemoveUser(ctx, n)
					}
				}()
			}
			close(start)
			wg.Wait()
			admins := adminsAmong(t, ctx, db, names[:])
			okCount := 0
			for _, err := range errs {
				if err == nil {
					okCount++
				} else if !errors.Is(err, servedb.ErrLastAdmin) {
					t.Errorf("%s round %d: %v (want nil or ErrLastAdmin)", op, round, err)
				}
			}
			if admins != 1 || okCount != 1 {
				t.Fatalf("%s round %d: %d administrators left, %d changes went through (%v); want 1 and 1", op, round, admins, okCount, errs)
			}
			// the next round starts with no user (the last administrator
			// cannot be removed through the store, by design)
			if _, err := pg.Pool().Exec(ctx, `DELETE FROM `+pgx.Identifier{pg.Schema(), "users"}.Sanitize()); err != nil {
				t.Fatal(err)
			}
		}
	}

	// a password change ends every session and keeps the renewed one
	u, err := db.AddUser(ctx, servedb.User{Name: "owner", Role: servedb.RoleViewer, Hash: "h"}, now)
	if err != nil {
		t.Fatal(err)
	}
	for _, th := range []string{"s1", "s2"} {
		if err := db.AddSession(ctx, th, u.ID, "c", now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	ended, err := db.SetPassword(ctx, u.ID, "h2", &servedb.NewSession{TokenHash: "s3", CSRF: "c3", Expires: now.Add(time.Hour)})
	if err != nil || ended != 2 {
		t.Fatalf("SetPassword = %d, %v", ended, err)
	}
	if _, err := db.SessionByHash(ctx, "s1", now); !errors.Is(err, servedb.ErrNotFound) {
		t.Errorf("old session: %v", err)
	}
	if s, err := db.SessionByHash(ctx, "s3", now); err != nil || s.CSRF != "c3" {
		t.Errorf("renewed session: %+v, %v", s, err)
	}
}

func adminsAmong(t *testing.T, ctx context.Context, db *servedb.DB, names []string) int {
	t.Helper()
	n := 0
	for _, name := range names {
		u, err := db.UserByName(ctx, name)
		if err == nil && u.Role == servedb.RoleAdmin {
			n++
		}
	}
	return n
}

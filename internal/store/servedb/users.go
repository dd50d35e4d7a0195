package servedb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Roles of dashboard users.
const (
	RoleAdmin  = "admin"  // may change anything
	RoleViewer = "viewer" // reads only
)

// User is a dashboard account; Hash is its argon2id password hash.
type User struct {
	ID      int64
	Name    string
	Role    string
	Hash    string
	Created time.Time
}

// ErrUserExists is returned by AddUser for a taken name.
var ErrUserExists = errors.New("a user with that name exists")

// AddUser stores a new user.
func (d *DB) AddUser(ctx context.Context, u User, now time.Time) (User, error) {
	err := d.queryRow(ctx, `INSERT INTO cw.users (name, role, hash, created_ns) VALUES (?, ?, ?, ?)
		ON CONFLICT (name) DO NOTHING RETURNING id`, u.Name, u.Role, u.Hash, ns(now)).Scan(&u.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return u, fmt.Errorf("add user %q: %w", u.Name, ErrUserExists)
	}
	if err != nil {
		return u, fmt.Errorf("add user %q: %w", u.Name, err)
	}
	u.Created = now
	return u, nil
}

// AddFirstAdmin stores u as an admin only if there is no user yet, in
// one transaction (the one-time setup); ok is false when a user exists.
func (d *DB) AddFirstAdmin(ctx context.Context, u User, now time.Time) (ok bool, err error) {
	err = d.tx(ctx, func(tx *sql.Tx) error {
		t := Tx{d, tx}
		var n int
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM cw.users`).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		_, err := t.exec(ctx, `INSERT INTO cw.users (name, role, hash, created_ns) VALUES (?, 'admin', ?, ?)`, u.Name, u.Hash, ns(now))
		ok = err == nil
		return err
	})
	if err != nil {
		return false, fmt.Errorf("add first admin: %w", err)
	}
	return ok, nil
}

// CountUsers counts dashboard users.
func (d *DB) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := d.queryRow(ctx, `SELECT COUNT(*) FROM cw.users`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

// UserByName returns a user.
func (d *DB) UserByName(ctx context.Context, name string) (User, error) {
	return d.user(ctx, `WHERE name = ?`, name)
}

func (d *DB) user(ctx context.Context, where string, arg any) (User, error) {
	var u User
	var created int64
	err := d.queryRow(ctx, `SELECT id, name, role, hash, created_ns FROM cw.users `+where, arg).
		Scan(&u.ID, &u.Name, &u.Role, &u.Hash, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return u, ErrNotFound
	}
	if err != nil {
		return u, fmt.Errorf("read user: %w", err)
	}
	u.Created = fromNS(created)
	return u, nil
}

// Users lists the users by name.
func (d *DB) Users(ctx context.Context) ([]User, error) {
	rows, err := d.query(ctx, `SELECT id, name, role, created_ns FROM cw.users ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		var u User
		var created int64
		if err := rows.Scan(&u.ID, &u.Name, &u.Role, &created); err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		u.Created = fromNS(created)
		out = append(out, u)
	}
	return out, rows.Err()
}

// NewSession is a session to store: the SHA-256 of its cookie value,
// its CSRF token and when it ends.
type NewSession struct {
	TokenHash string
	CSRF      string
	Expires   time.Time
}

// SetPassword replaces a user's hash and ends all their sessions in one
// transaction; next, when not nil, is then stored as the user's only
// session (the browser that made the change, under a new token). ended
// counts the sessions ended; ErrNotFound when the user is gone.
func (d *DB) SetPassword(ctx context.Context, userID int64, hash string, next *NewSession) (ended int, err error) {
	err = d.tx(ctx, func(tx *sql.Tx) error {
		t := Tx{d, tx}
		res, err := t.exec(ctx, `UPDATE cw.users SET hash = ? WHERE id = ?`, hash, userID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errors.Join(ErrNotFound, err)
		}
		if ended, err = t.endSessions(ctx, userID); err != nil {
			return err
		}
		if next == nil {
			return nil
		}
		_, err = t.exec(ctx, `INSERT INTO cw.sessions (token_hash, user_id, csrf, expires_ns) VALUES (?, ?, ?, ?)`,
			next.TokenHash, userID, next.CSRF, ns(next.Expires))
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("set password: %w", err)
	}
	return ended, nil
}

// ErrLastAdmin is returned by RemoveUser and SetRole when the change
// would leave the dashboard without an administrator.
var ErrLastAdmin = errors.New("at least one administrator must remain")

// RemoveUser deletes a user and ends their sessions in one transaction;
// the last administrator is refused with ErrLastAdmin, an unknown name
// with ErrNotFound. It returns the removed user (without the hash) and
// how many sessions ended.
func (d *DB) RemoveUser(ctx context.Context, name string) (u User, ended int, err error) {
	err = d.tx(ctx, func(tx *sql.Tx) error {
		t := Tx{d, tx}
		if u, err = t.adminChange(ctx, name); err != nil {
			return err
		}
		if ended, err = t.endSessions(ctx, u.ID); err != nil {
			return err
		}
		_, err = t.exec(ctx, `DELETE FROM cw.users WHERE id = ?`, u.ID)
		return err
	})
	if err != nil {
		return u, 0, fmt.Errorf("remove user %q: %w", name, err)
	}
	return u, ended, nil
}

// SetRole changes a user's role (RoleAdmin or RoleViewer) and returns
// the one it replaced; demoting the last administrator is refused with
// ErrLastAdmin. Sessions stay: each request reads the role afresh.
func (d *DB) SetRole(ctx context.Context, name, role string) (old string, err error) {
	if role != RoleAdmin && role != RoleViewer {
		return "", fmt.Errorf("set role of %q: role %q: want admin or viewer", name, role)
	}
	err = d.tx(ctx, func(tx *sql.Tx) error {
		t := Tx{d, tx}
		var u User
		var err error
		if role == RoleAdmin { // a promotion leaves every administrator in place
			u, err = t.lockedUser(ctx, name)
		} else {
			u, err = t.adminChange(ctx, name)
		}
		if err != nil {
			return err
		}
		if old = u.Role; old == role {
			return nil
		}
		_, err = t.exec(ctx, `UPDATE cw.users SET role = ? WHERE id = ?`, role, u.ID)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("set role of %q: %w", name, err)
	}
	return old, nil
}

// forUpdate locks the rows a statement reads until the transaction ends
// (PostgreSQL; a SQLite write transaction holds the whole database).
func (t Tx) forUpdate() string {
	if t.d.pg {
		return " FOR UPDATE"
	}
	return ""
}

// adminChange locks the administrators' rows (by id, so concurrent
// changes wait in one order instead of deadlocking), then the user's
// row, and returns the user; ErrLastAdmin when the user is the only
// administrator. Two transactions removing or demoting the last two
// administrators at once cannot both pass: the second waits for the
// first's locks and PostgreSQL re-reads the changed row's role.
func (t Tx) adminChange(ctx context.Context, name string) (User, error) {
	rows, err := t.query(ctx, `SELECT id FROM cw.users WHERE role = 'admin' ORDER BY id`+t.forUpdate())
	if err != nil {
		return User{}, err
	}
	var admins []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return User{}, err
		}
		admins = append(admins, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return User{}, err
	}
	u, err := t.lockedUser(ctx, name)
	if err != nil || u.Role != RoleAdmin {
		return u, err
	}
	for _, id := range admins {
		if id != u.ID {
			return u, nil
		}
	}
	return u, ErrLastAdmin
}

// lockedUser reads a user (without the hash) and locks its row.
func (t Tx) lockedUser(ctx context.Context, name string) (User, error) {
	var u User
	var created int64
	err := t.queryRow(ctx, `SELECT id, name, role, created_ns FROM cw.users WHERE name = ?`+t.forUpdate(), name).
		Scan(&u.ID, &u.Name, &u.Role, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return u, ErrNotFound
	}
	u.Created = fromNS(created)
	return u, err
}

// endSessions deletes every session of a user and counts them.
func (t Tx) endSessions(ctx context.Context, userID int64) (int, error) {
	res, err := t.exec(ctx, `DELETE FROM cw.sessions WHERE user_id = ?`, userID)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// Session is a logged-in browser.
type Session struct {
	User    User
	CSRF    string
	Expires time.Time
}

// AddSession stores a session under the hash of its cookie value.
func (d *DB) AddSession(ctx context.Context, tokenHash string, userID int64, csrf string, expires time.Time) error {
	if _, err := d.exec(ctx, `INSERT INTO cw.sessions (token_hash, user_id, csrf, expires_ns) VALUES (?, ?, ?, ?)`,
		tokenHash, userID, csrf, ns(expires)); err != nil {
		return fmt.Errorf("add session: %w", err)
	}
	return nil
}

// SessionByHash returns a session that has not expired.
func (d *DB) SessionByHash(ctx context.Context, tokenHash string, now time.Time) (Session, error) {
	var s Session
	var exp, created int64
	err := d.queryRow(ctx, `SELECT u.id, u.name, u.role, u.created_ns, s.csrf, s.expires_ns FROM cw.sessions s
		JOIN cw.users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_ns > ?`, tokenHash, ns(now)).
		Scan(&s.User.ID, &s.User.Name, &s.User.Role, &created, &s.CSRF, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return s, ErrNotFound
	}
	if err != nil {
		return s, fmt.Errorf("read session: %w", err)
	}
	s.User.Created, s.Expires = fromNS(created), fromNS(exp)
	return s, nil
}

// DeleteSession ends a session; it also drops expired ones.
func (d *DB) DeleteSession(ctx context.Context, tokenHash string, now time.Time) error {
	if _, err := d.exec(ctx, `DELETE FROM cw.sessions WHERE token_hash = ? OR expires_ns <= ?`, tokenHash, ns(now)); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// Action is one line of the audit log.
type Action struct {
	At      time.Time
	Actor   string // user name, or "system"
	Address string // client address
	Action  string // e.g. "login", "site.add", "risk.accept"
	Detail  string
}

// LogAction appends to the audit log.
func (d *DB) LogAction(ctx context.Context, a Action) error {
	if _, err := d.exec(ctx, `INSERT INTO cw.actions (at_ns, actor, address, action, detail) VALUES (?, ?, ?, ?, ?)`,
		ns(a.At), a.Actor, a.Address, a.Action, a.Detail); err != nil {
		return fmt.Errorf("log action: %w", err)
	}
	return nil
}

// Actions lists the audit log, newest first.
func (d *DB) Actions(ctx context.Context, limit, offset int) ([]Action, error) {
	rows, err := d.query(ctx, `SELECT at_ns, actor, address, action, detail FROM cw.actions ORDER BY id DESC LIMIT ? OFFSET ?`,
		limit, offset)
	if err != nil {
		return nil, fmt.Errorf("list actions: %w", err)
	}
	defer rows.Close()
	var out []Action
	for rows.Next() {
		var a Action
		var at int64
		if err := rows.Scan(&at, &a.Actor, &a.Address, &a.Action, &a.Detail); err != nil {
			return nil, fmt.Errorf("list actions: %w", err)
		}
		a.At = fromNS(at)
		out = append(out, a)
	}
	return out, rows.Err()
}

package store

import (
	"context"
	"net/netip"
	"time"
)

// LoginKey says which device a failed login was made on: its address and,
// when the scan read them, its serial number and MAC address (normalised
// with NormalizeSerial and NormalizeMAC).
type LoginKey struct {
	Address netip.Addr
	Serial  string
	MAC     string
}

// LoginFailure is one failed login attempt on a device (or one lockout
// signal, when Signal is set), kept so that the next scan counts it
// against the device's login budget.
type LoginFailure struct {
	ID      int64 // set by the store
	Device  LoginKey
	Account string // the user name tried; "" for a lockout signal
	// Domain is the account domain the attempt was made in (the login
	// surfaces that share one account store, see engine.Account); "" for
	// a row written before domains were kept, or a lockout signal.
	Domain string
	At     time.Time // when the attempt was made
	// Signal is the device's lockout signal (a stop, not an attempt);
	// "" for an ordinary failure.
	Signal string
}

// LoginLog keeps failed logins across runs so that two scans in a row
// never spend more than one login budget (engine.Budget). Both stores
// implement it; a scan writes every failure as it happens, so an
// interrupted or crashed scan loses none.
type LoginLog interface {
	// LoginFailures returns the failures recorded after since on the
	// device key names, oldest first. A row matches when its serial or
	// MAC equals the key's, or when its address equals the key's and no
	// known serial or MAC contradicts it.
	LoginFailures(ctx context.Context, key LoginKey, since time.Time) ([]LoginFailure, error)
	// AddLoginFailure records f and returns its ID.
	AddLoginFailure(ctx context.Context, f LoginFailure) (int64, error)
	// RemoveLoginFailure deletes a failure recorded before its attempt
	// that turned out not to count (a success, or nothing sent).
	RemoveLoginFailure(ctx context.Context, id int64) error
	// PruneLoginFailures deletes failures made before before.
	PruneLoginFailures(ctx context.Context, before time.Time) error
}

// MaxSignal caps the lockout signal text kept (it comes from the device).
const MaxSignal = 200

// NormalizeLoginKey returns k with its serial and MAC normalised and its
// address unmapped.
func NormalizeLoginKey(k LoginKey) LoginKey {
	return LoginKey{Address: k.Address.Unmap(), Serial: NormalizeSerial(k.Serial), MAC: NormalizeMAC(k.MAC)}
}

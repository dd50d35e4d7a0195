package storetest

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/store"
)

// testLoginLog checks the failed-login log of the persistent login
// budget: rows match a device by serial, MAC or (uncontradicted) address,
// only after since, oldest first; removals and pruning delete exactly what
// they name; signals are kept (capped).
func testLoginLog(t *testing.T, db store.Store) {
	log, ok := db.(store.LoginLog)
	if !ok {
		t.Fatalf("%T does not implement store.LoginLog: the login budget would not hold across scans", db)
	}
	ctx := t.Context()
	base := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	at := func(m int) time.Time { return base.Add(time.Duration(m) * time.Minute) }
	addr := netip.MustParseAddr("127.77.0.2")
	moved := netip.MustParseAddr("127.77.0.9")
	rows := []store.LoginFailure{
		{Device: store.LoginKey{Address: addr}, Account: "admin", At: at(0)},                                             // address only
		{Device: store.LoginKey{Address: addr, Serial: " ds-2cd0001 "}, Account: "admin", At: at(1)},                     // address + serial
		{Device: store.LoginKey{Address: addr, Serial: "OTHER-UNIT"}, Account: "admin", At: at(2)},                       // another unit there
		{Device: store.LoginKey{Address: moved, MAC: "44-19-B6-00-00-01"}, Account: "root", Domain: "system", At: at(3)}, // by MAC
		{Device: store.LoginKey{Address: addr}, At: at(4), Signal: "401 locked " + strings.Repeat("x", 500)},             // lockout signal
		{Device: store.LoginKey{Address: netip.MustParseAddr("127.77.0.3")}, Account: "admin", At: at(5)},                // another device
		{Device: store.LoginKey{Address: addr}, Account: "admin", At: at(-40)},                                           // before since
		{Device: store.LoginKey{Address: netip.MustParseAddr("::ffff:127.77.0.2")}, Account: "operator", At: at(6)},      // mapped form
	}
	ids := make([]int64, len(rows))
	for i, f := range rows {
		id, err := log.AddLoginFailure(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = id
	}
	key := store.LoginKey{Address: addr, Serial: "DS-2CD0001", MAC: "44:19:b6:00:00:01"}
	got, err := log.LoginFailures(ctx, key, at(-30))
	if err != nil {
		t.Fatal(err)
	}
	want := []int64{ids[0], ids[1], ids[3], ids[4], ids[7]}
	if len(got) != len(want) {
		t.Fatalf("got %d failures %+v, want %d (ids %v)", len(got), got, len(want), want)
	}
	for i, f := range got {
		if f.ID != want[i] {
			t.Errorf("failure %d has id %d, want %d", i, f.ID, want[i])
		}
	}
	if got[0].Account != "admin" || !got[0].At.Equal(at(0)) || got[0].Device.Address != addr || got[0].Domain != "" {
		t.Errorf("first failure %+v", got[0])
	}
	if got[2].Account != "root" || got[2].Domain != "system" {
		t.Errorf("the account domain is not kept: %+v", got[2])
	}
	if s := got[3].Signal; !strings.HasPrefix(s, "401 locked") || len(s) > store.MaxSignal {
		t.Errorf("signal %q (%d bytes), want it kept and capped at %d", s, len(s), store.MaxSignal)
	}
	if got[1].Device.Serial != "DS-2CD0001" || got[2].Device.MAC != "44:19:b6:00:00:01" {
		t.Errorf("identifiers not normalised: %+v %+v", got[1].Device, got[2].Device)
	}
	// An address-only key sees every row at that address that no serial
	// contradicts: all rows there, since the key has no serial.
	if got, err := log.LoginFailures(ctx, store.LoginKey{Address: addr}, at(-30)); err != nil || len(got) != 5 {
		t.Errorf("address-only key: %d failures (%v), want 5", len(got), err)
	}
	if err := log.RemoveLoginFailure(ctx, ids[1]); err != nil {
		t.Fatal(err)
	}
	if err := log.PruneLoginFailures(ctx, at(3)); err != nil {
		t.Fatal(err)
	}
	got, err = log.LoginFailures(ctx, key, at(-60))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].ID != ids[3] || got[1].ID != ids[4] || got[2].ID != ids[7] {
		t.Errorf("after remove and prune: %+v, want ids %d, %d, %d", got, ids[3], ids[4], ids[7])
	}
}

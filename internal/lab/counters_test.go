package lab

import (
	"net/http"
	"net/netip"
	"strings"
	"testing"
)

// TestCounters: the Reolink api.cgi Login is counted as accepted or
// refused, and ResetCounters zeroes both.
func TestCounters(t *testing.T) {
	l := startLab(t, "127.78.65", Options{})
	var addr netip.Addr
	for _, d := range l.Manifest().Devices {
		if d.Name == "reolink-rlc411ws" {
			addr = netip.MustParseAddr(d.Address)
		}
	}
	login := func(password string) {
		body := `[{"cmd":"Login","param":{"User":{"userName":"admin","password":"` + password + `"}}}]`
		resp, err := http.Post("http://"+addr.String()+"/api.cgi?cmd=Login", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
	}
	login("")
	login("wrong")
	login("wrong2")
	if ok, bad := l.Logins(addr); ok != 1 || bad != 2 {
		t.Errorf("Logins = %d accepted, %d refused; want 1, 2", ok, bad)
	}
	l.ResetCounters()
	if ok, bad := l.Logins(addr); ok != 0 || bad != 0 {
		t.Errorf("after reset Logins = %d, %d", ok, bad)
	}
	if ok, bad := l.Logins(netip.MustParseAddr("127.0.0.9")); ok != 0 || bad != 0 {
		t.Errorf("unknown address Logins = %d, %d", ok, bad)
	}
}

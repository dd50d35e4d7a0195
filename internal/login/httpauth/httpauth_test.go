package httpauth

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/login/digest"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/probe/probetest"
)

// isapi401 is the Hikvision userCheck 401 body (lab responses, from the
// hikvision_next facts); isapiLocked adds lockStatus/unlockTime.
const (
	isapi401    = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<userCheck>\n<statusValue>401</statusValue>\n<statusString>Unauthorized</statusString>\n</userCheck>\n"
	isapiLocked = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<userCheck>\n<statusValue>401</statusValue>\n<statusString>Unauthorized</statusString>\n<lockStatus>lock</lockStatus>\n<unlockTime>1790</unlockTime>\n</userCheck>\n"
)

// fakeDevice serves /ISAPI/Security/userCheck behind digest (scheme
// "digest"), Basic ("basic"), a 200 to everything ("open") or a locked
// account ("locked"), with the account admin/12345.
func fakeDevice(t *testing.T, mode string) probe.Target {
	t.Helper()
	const realm, nonce = "DS-2CD2042WD-I", "6b07a5bd:093af0b1313af2af4d424cf319972dfc"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		authz := r.Header.Get("Authorization")
		ok := false
		switch mode {
		case "open":
			ok = true
		case "basic":
			u, p, has := r.BasicAuth()
			ok = has && u == "admin" && p == "12345"
			w.Header().Set("WWW-Authenticate", `Basic realm="`+realm+`"`)
		case "digest", "locked":
			if p, err := digest.Params(strings.TrimPrefix(authz, "Digest ")); err == nil && authz != "" {
				c := &digest.Challenge{Realm: realm, Nonce: nonce, QOP: []string{"auth"}}
				want, _ := c.Authorization(digest.Request{Method: r.Method, URI: p["uri"], Username: "admin", Password: "12345", CNonce: p["cnonce"]})
				ok = mode == "digest" && strings.Contains(want, `response="`+p["response"]+`"`)
			}
			w.Header().Set("WWW-Authenticate", `Digest realm="`+realm+`", charset="UTF-8", algorithm=MD5, nonce="`+nonce+`", qop="auth"`)
		}
		if ok {
			w.Write([]byte("<userCheck><statusValue>200</statusValue></userCheck>"))
			return
		}
		w.WriteHeader(http.StatusUnauthorized)
		if mode == "locked" && authz != "" {
			w.Write([]byte(isapiLocked))
			return
		}
		w.Write([]byte(isapi401))
	}))
	t.Cleanup(srv.Close)
	return probetest.URLTarget(t, srv.URL)
}

func TestTry(t *testing.T) {
	good := login.Credential{Username: "admin", Password: "12345", Name: "Hikvision factory default admin"}
	bad := login.Credential{Username: "admin", Password: "wrong", Name: "x"}
	tests := []struct {
		name, mode    string
		cred          login.Credential
		want          login.Result
		cleartext     bool
		signalPresent bool
	}{
		{"digest good", "digest", good, login.Success, false, false},
		{"digest bad", "digest", bad, login.Failure, false, false},
		{"basic good", "basic", good, login.Success, true, false},
		{"basic bad", "basic", bad, login.Failure, true, false},
		{"200 to everything", "open", bad, login.Unverifiable, false, false},
		{"locked", "locked", good, login.Locked, false, true},
	}
	m := &Method{Route: Route{Path: "/ISAPI/Security/userCheck", Admin: true}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o, err := m.Try(t.Context(), &net.Dialer{}, fakeDevice(t, tc.mode), tc.cred)
			if err != nil {
				t.Fatal(err)
			}
			if o.Result != tc.want || o.Cleartext != tc.cleartext || (o.Signal != "") != tc.signalPresent {
				t.Errorf("Try = %+v, want %v cleartext=%v signal=%v", o, tc.want, tc.cleartext, tc.signalPresent)
			}
		})
	}
}

func TestNoCredential(t *testing.T) {
	m := &Method{Route: Route{Path: "/ISAPI/Security/userCheck", Admin: true}}
	tests := []struct {
		mode, scheme string
		want         login.Result
	}{
		{"digest", "digest", login.Failure},
		{"basic", "basic", login.Failure},
		{"open", "", login.Unverifiable},
	}
	for _, tc := range tests {
		t.Run(tc.mode, func(t *testing.T) {
			o, err := m.NoCredential(t.Context(), &net.Dialer{}, fakeDevice(t, tc.mode))
			if err != nil || o.Result != tc.want || o.Scheme != tc.scheme {
				t.Errorf("NoCredential = %+v, %v; want %v scheme %q", o, err, tc.want, tc.scheme)
			}
		})
	}
}

func TestLockSignal(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		want   bool
	}{
		{"isapi locked", 401, isapiLocked, true},
		{"isapi 401", 401, isapi401, false},
		{"dahua invalid authority", 401, "Error\r\nInvalid Authority!\r\n", false},
		{"423", 423, "", true},
		{"403 after 401", 403, "", true},
		{"200 mentioning locked", 200, "door locked", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := LockSignal(tc.status, []byte(tc.body)) != ""; got != tc.want {
				t.Errorf("LockSignal = %v, want %v", got, tc.want)
			}
		})
	}
}

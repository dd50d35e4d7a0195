package httpauth

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/login/digest"
	"github.com/camwarden/camwarden/internal/login/identity"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/probe/probetest"
)

// deviceInfo is an ISAPI deviceInfo answer in the element set of the real
// reply (shared/data/hikvision_next, facts only) with the lighttpd peer's
// values (scripts/peers/start-lighttpd.sh).
const deviceInfo = `<?xml version="1.0" encoding="UTF-8"?>
<DeviceInfo version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema">
<deviceName>IP CAMERA</deviceName>
<model>DS-2CD2042WD-I</model>
<serialNumber>DS-2CD2042WD-I20170101AAWR000000079</serialNumber>
<firmwareVersion>V5.4.5</firmwareVersion>
<firmwareReleasedDate>build 170124</firmwareReleasedDate>
<deviceType>IPCamera</deviceType>
</DeviceInfo>
`

// sessionDevice is a Hikvision-like digest server (admin/12345) on
// userCheck and deviceInfo that logs the nonce, nc and cnonce of every
// request with credentials. stale makes it answer the first deviceInfo
// request "stale=true" with a new nonce; deny refuses every deviceInfo.
type sessionDevice struct {
	mu     sync.Mutex
	seen   []string // "path nonce nc cnonce"
	nonce  string
	stale  bool
	deny   bool
	target probe.Target
}

func newSessionDevice(t *testing.T, stale, deny bool) *sessionDevice {
	sd := &sessionDevice{nonce: "5f1a2b3c:aa01", stale: stale, deny: deny}
	srv := httptest.NewServer(http.HandlerFunc(sd.serve))
	t.Cleanup(srv.Close)
	sd.target = probetest.URLTarget(t, srv.URL)
	return sd
}

func (sd *sessionDevice) serve(w http.ResponseWriter, r *http.Request) {
	sd.mu.Lock()
	defer sd.mu.Unlock()
	const realm = "DS-2CD2042WD-I"
	challenge := func(stale bool) {
		v := `Digest realm="` + realm + `", qop="auth", nonce="` + sd.nonce + `"`
		if stale {
			v += ", stale=true"
		}
		w.Header().Set("WWW-Authenticate", v)
		w.WriteHeader(http.StatusUnauthorized)
	}
	authz := r.Header.Get("Authorization")
	p, err := digest.Params(strings.TrimPrefix(authz, "Digest "))
	if authz == "" || err != nil {
		challenge(false)
		return
	}
	sd.seen = append(sd.seen, r.URL.Path+" "+p["nonce"]+" "+p["nc"]+" "+p["cnonce"])
	c := &digest.Challenge{Realm: realm, Nonce: p["nonce"], QOP: []string{"auth"}}
	n := 0
	for _, ch := range p["nc"] {
		n = n*16 + strings.IndexRune("0123456789abcdef", ch)
	}
	want, _ := c.Authorization(digest.Request{Method: r.Method, URI: p["uri"], Username: "admin", Password: "12345", CNonce: p["cnonce"], Count: n})
	if !strings.Contains(want, `response="`+p["response"]+`"`) || p["nonce"] != sd.nonce {
		challenge(false)
		return
	}
	switch r.URL.Path {
	case "/ISAPI/Security/userCheck":
		w.Write([]byte("<userCheck><statusValue>200</statusValue></userCheck>"))
	case "/ISAPI/System/deviceInfo":
		if sd.stale {
			sd.stale, sd.nonce = false, "5f1a2b3c:bb02"
			challenge(true)
			return
		}
		if sd.deny {
			challenge(false)
			return
		}
		w.Write([]byte(deviceInfo))
	default:
		http.NotFound(w, r)
	}
}

func (sd *sessionDevice) log() []string {
	sd.mu.Lock()
	defer sd.mu.Unlock()
	return append([]string(nil), sd.seen...)
}

// TestReadIdentityInSession: after a digest login the identity is read
// with the same nonce and cnonce and the next nonce count (the session a
// browser keeps), a stale nonce is renewed without a refusal, a 401 is a
// refusal, and a login route that is itself the identity document costs no
// request.
func TestReadIdentityInSession(t *testing.T) {
	cred := login.Credential{Username: "admin", Password: "12345", Name: "test default"}
	apis := identity.HTTPAPIs("Hikvision", "")
	d := &net.Dialer{Timeout: 2 * time.Second}
	tests := []struct {
		name        string
		route       string
		stale, deny bool
		wantLog     []string // after the login's own request
		refused     bool
	}{
		{name: "same nonce, next count", route: "/ISAPI/Security/userCheck",
			wantLog: []string{"/ISAPI/System/deviceInfo 5f1a2b3c:aa01 00000002 C"}},
		{name: "stale nonce renewed", route: "/ISAPI/Security/userCheck", stale: true,
			wantLog: []string{"/ISAPI/System/deviceInfo 5f1a2b3c:aa01 00000002 C", "/ISAPI/System/deviceInfo 5f1a2b3c:bb02 00000001 N"}},
		{name: "refused", route: "/ISAPI/Security/userCheck", deny: true,
			wantLog: []string{"/ISAPI/System/deviceInfo 5f1a2b3c:aa01 00000002 C"}, refused: true},
		{name: "login route is the document", route: "/ISAPI/System/deviceInfo"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sd := newSessionDevice(t, tc.stale, false)
			m := &Method{Route: Route{Path: tc.route}}
			o, err := m.Try(t.Context(), d, sd.target, cred)
			if err != nil || o.Result != login.Success {
				t.Fatalf("login: %v %v", o.Result, err)
			}
			sd.mu.Lock()
			sd.deny = tc.deny
			sd.mu.Unlock()
			login := sd.log()[0]
			r, err := m.ReadIdentity(t.Context(), d, sd.target, cred, apis)
			if err != nil {
				t.Fatalf("read identity: %v", err)
			}
			got := sd.log()[1:]
			cnonce := strings.Fields(login)[3]
			for i, w := range tc.wantLog {
				w = strings.Replace(w, " C", " "+cnonce, 1)
				if i >= len(got) {
					t.Fatalf("identity requests %v, want %v", got, tc.wantLog)
				}
				if strings.HasSuffix(w, " N") {
					if f := strings.Fields(got[i]); strings.Join(f[:3], " ") != strings.TrimSuffix(w, " N") || f[3] == cnonce {
						t.Errorf("request %d = %q, want %q with a new cnonce", i, got[i], w)
					}
					continue
				}
				if got[i] != w {
					t.Errorf("request %d = %q, want %q", i, got[i], w)
				}
			}
			if len(got) != len(tc.wantLog) {
				t.Errorf("identity requests %v, want %d", got, len(tc.wantLog))
			}
			if r.Refused != tc.refused {
				t.Errorf("refused = %v, want %v", r.Refused, tc.refused)
			}
			if !tc.refused && (!r.Complete() || r.APIs[0] != "ISAPI deviceInfo") {
				t.Errorf("identity not read: %+v", r)
			}
		})
	}
}

func TestReadIdentityWithoutLogin(t *testing.T) {
	m := &Method{Route: Route{Path: "/"}}
	if _, err := m.ReadIdentity(t.Context(), &net.Dialer{}, probe.Target{}, login.Credential{}, nil); err == nil {
		t.Error("identity read without a successful login")
	}
}

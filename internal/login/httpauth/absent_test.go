package httpauth

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/probe/probetest"
)

// prefixAuthServer behaves like the lighttpd peer (scripts/peers/
// start-lighttpd.sh): Basic on every /ISAPI/ path, existing or not, then
// 404 for paths that do not exist; "/" open. all200 answers 200 to
// anything instead. It counts requests that carried credentials.
func prefixAuthServer(t *testing.T, all200 bool, withCreds *atomic.Int32) probe.Target {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			withCreds.Add(1)
		}
		if all200 {
			w.Write([]byte("<html><body>OK</body></html>"))
			return
		}
		if !strings.HasPrefix(r.URL.Path, "/ISAPI/") {
			if r.URL.Path == "/" {
				w.Write([]byte("<html><title>Network Camera</title></html>"))
				return
			}
			http.NotFound(w, r)
			return
		}
		u, p, ok := r.BasicAuth()
		if !ok || u != "admin" || p != "12345" {
			w.Header().Set("WWW-Authenticate", `Basic realm="DS-2CD2042WD-I"`)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if r.URL.Path != "/ISAPI/System/deviceInfo" {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte("<DeviceInfo/>"))
	}))
	t.Cleanup(srv.Close)
	return probetest.URLTarget(t, srv.URL)
}

func TestTryRouteAbsent(t *testing.T) {
	good := login.Credential{Username: "admin", Password: "12345", Name: "default"}
	bad := login.Credential{Username: "admin", Password: "nope", Name: "wrong"}
	userCheck, deviceInfo := Route{Path: "/ISAPI/Security/userCheck"}, Route{Path: "/ISAPI/System/deviceInfo"}
	tests := []struct {
		name       string
		m          *Method
		creds      []login.Credential
		want       login.Result
		wantRoute  string
		wantAbsent int
	}{
		{"404 after login moves to the next route", &Method{Route: userCheck, Alternates: []Route{deviceInfo}}, []login.Credential{good}, login.Success, deviceInfo.Path, 1},
		{"wrong password stays a failure on the first route", &Method{Route: userCheck, Alternates: []Route{deviceInfo}}, []login.Credential{bad}, login.Failure, userCheck.Path, 0},
		{"absent route remembered across tries", &Method{Route: userCheck, Alternates: []Route{deviceInfo}}, []login.Credential{good, bad}, login.Failure, deviceInfo.Path, 1},
		{"no route left is unverifiable, never a failure", &Method{Route: userCheck}, []login.Credential{good}, login.Unverifiable, userCheck.Path, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var n atomic.Int32
			tgt := prefixAuthServer(t, false, &n)
			var o login.Outcome
			for _, c := range tc.creds {
				var err error
				if o, err = tc.m.Try(t.Context(), &net.Dialer{}, tgt, c); err != nil {
					t.Fatal(err)
				}
			}
			if o.Result != tc.want || o.Route != tc.wantRoute || tc.m.absent != tc.wantAbsent {
				t.Errorf("Try = %v on %q (absent %d), want %v on %q (absent %d)", o.Result, o.Route, tc.m.absent, tc.want, tc.wantRoute, tc.wantAbsent)
			}
		})
	}
}

func TestProbedRoutes(t *testing.T) {
	trace := []probe.TraceEntry{
		{Dir: "send", Data: "GET / HTTP/1.1"}, {Dir: "recv", Data: "HTTP/1.1 200 OK"},
		{Dir: "send", Data: "GET /favicon.ico HTTP/1.1"}, {Dir: "recv", Data: "HTTP/1.1 401 Unauthorized"},
		{Dir: "send", Data: "GET /ISAPI/System/deviceInfo HTTP/1.1"}, {Dir: "recv", Data: "HTTP/1.1 401 Unauthorized"},
		{Dir: "send", Data: "GET /cgi-bin/magicBox.cgi?action=getSystemInfo HTTP/1.1"}, {Dir: "recv", Data: "HTTP/1.1 401 Unauthorized"},
		{Dir: "send", Data: "POST /axis-cgi/basicdeviceinfo.cgi HTTP/1.1"}, {Dir: "recv", Data: "HTTP/1.1 401 Unauthorized"},
		{Dir: "send", Data: "GET /api.cgi HTTP/1.1"}, {Dir: "recv", Data: "error: connection reset"},
		{Dir: "send", Data: "GET /x HTTP/1.1"}, {Dir: "recv", Data: "HTTP/1.1 404 Not Found"},
	}
	tests := []struct {
		name  string
		trace []probe.TraceEntry
		want  []string
	}{
		{"lighttpd peer", trace, []string{"/ISAPI/System/deviceInfo", "/cgi-bin/magicBox.cgi?action=getSystemInfo"}},
		{"empty", nil, nil},
		{"send without recv", trace[4:5], nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, r := range ProbedRoutes(tc.trace) {
				got = append(got, r.Path)
			}
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("ProbedRoutes = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestAcceptsAnything(t *testing.T) {
	tests := []struct {
		name       string
		all200     bool
		yes, sent  bool
		credsCount int
	}{
		{"200 to everything", true, true, true, 1},
		{"open landing page, protected API", false, false, false, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var n atomic.Int32
			yes, sent, err := AcceptsAnything(t.Context(), &net.Dialer{}, prefixAuthServer(t, tc.all200, &n), false)
			if err != nil || yes != tc.yes || sent != tc.sent || int(n.Load()) != tc.credsCount {
				t.Errorf("AcceptsAnything = %v sent=%v err=%v (%d requests with credentials), want %v sent=%v (%d)", yes, sent, err, n.Load(), tc.yes, tc.sent, tc.credsCount)
			}
		})
	}
}

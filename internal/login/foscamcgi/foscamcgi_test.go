package foscamcgi

import (
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/probe/probetest"
)

func TestParseResult(t *testing.T) {
	tests := []struct {
		name    string
		body    []byte
		want    int
		wantErr bool
	}{
		{"success", probetest.Fixture(t, "foscam-fi9821p-getdevstate-ok.xml"), 0, false},
		{"wrong account", probetest.Fixture(t, "foscam-fi9821p-getdevstate-denied.xml"), -2, false},
		{"access denied", probetest.Fixture(t, "foscam-fi9821p-getdevstate-access-denied.xml"), -3, false},
		{"html page", []byte("<html><body>OK</body></html>"), 0, true},
		{"no result", []byte("<CGI_Result></CGI_Result>"), 0, true},
		{"not a number", []byte("<CGI_Result><result>ok</result></CGI_Result>"), 0, true},
		{"external entity ignored", []byte(`<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><CGI_Result><result>&e;</result></CGI_Result>`), 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseResult(tc.body)
			if (err != nil) != tc.wantErr || (err == nil && got != tc.want) {
				t.Errorf("ParseResult = %d, %v; want %d (error %v)", got, err, tc.want, tc.wantErr)
			}
			if err != nil && !errors.Is(err, ErrNotCGI) {
				t.Errorf("error %v is not ErrNotCGI", err)
			}
		})
	}
}

func FuzzParseResult(f *testing.F) {
	for _, n := range []string{"foscam-fi9821p-getdevstate-ok.xml", "foscam-fi9821p-getdevstate-denied.xml", "foscam-fi9821p-getdevstate-access-denied.xml"} {
		f.Add(probetest.Fixture(f, n))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if _, err := ParseResult(b); err != nil && !errors.Is(err, ErrNotCGI) {
			t.Errorf("unexpected error type: %v", err)
		}
	})
}

// fakeFoscam answers getDevState like the CGI User Guide documents, with
// the account admin:"" (the factory default); mode "web" is a plain web
// server without the CGI, "denied" answers -3 to every login.
func fakeFoscam(t *testing.T, mode string) probe.Target {
	t.Helper()
	ok, bad, denied := probetest.Fixture(t, "foscam-fi9821p-getdevstate-ok.xml"), probetest.Fixture(t, "foscam-fi9821p-getdevstate-denied.xml"), probetest.Fixture(t, "foscam-fi9821p-getdevstate-access-denied.xml")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		switch {
		case mode == "web" || r.URL.Path != Path || q.Get("cmd") != Command:
			http.NotFound(w, r)
		case mode == "denied":
			w.Write(denied)
		case q.Has("usr") && q.Get("usr") == "admin" && q.Get("pwd") == "":
			w.Write(ok)
		default:
			w.Write(bad)
		}
	}))
	t.Cleanup(srv.Close)
	return probetest.URLTarget(t, srv.URL)
}

func TestMethod(t *testing.T) {
	blank := login.Credential{Username: "admin", Password: "", Name: "Foscam factory default admin"}
	wrong := login.Credential{Username: "admin", Password: "admin", Name: "other"}
	tests := []struct {
		name, mode string
		cred       *login.Credential // nil: NoCredential
		want       login.Result
	}{
		{"no credential wants a login", "cgi", nil, login.Failure},
		{"factory default", "cgi", &blank, login.Success},
		{"wrong password", "cgi", &wrong, login.Failure},
		{"access denied is a lock signal", "denied", &blank, login.Locked},
		{"not the CGI", "web", nil, login.Unverifiable},
		{"not the CGI, login", "web", &blank, login.Unverifiable},
	}
	m := &Method{}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tgt := fakeFoscam(t, tc.mode)
			var o login.Outcome
			var err error
			if tc.cred == nil {
				o, err = m.NoCredential(t.Context(), &net.Dialer{}, tgt)
			} else {
				o, err = m.Try(t.Context(), &net.Dialer{}, tgt, *tc.cred)
			}
			if err != nil || o.Result != tc.want || !o.Cleartext || o.Route != Route {
				t.Errorf("= %+v, %v; want %v, cleartext, route %s", o, err, tc.want, Route)
			}
		})
	}
}

// TestReadIdentity: getDevInfo carries the account in its query like
// every CGI call; result 0 gives the identity, -2 is a refusal.
func TestReadIdentity(t *testing.T) {
	info := "<CGI_Result>\n    <result>0</result>\n    <productName>FI9821P</productName>\n    <firmwareVer>2.11.1.120</firmwareVer>\n    <hardwareVer>1.4.1.10</hardwareVer>\n</CGI_Result>\n"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		switch {
		case r.URL.Path != Path || q.Get("cmd") != InfoCommand:
			http.NotFound(w, r)
		case q.Get("usr") == "admin" && q.Get("pwd") == "":
			w.Write([]byte(info))
		default:
			w.Write([]byte("<CGI_Result>\n    <result>-2</result>\n</CGI_Result>\n"))
		}
	}))
	t.Cleanup(srv.Close)
	tgt := probetest.URLTarget(t, srv.URL)
	m := &Method{}
	id, err := m.ReadIdentity(t.Context(), &net.Dialer{}, tgt, login.Credential{Username: "admin"}, nil)
	if err != nil || !id.Sent || id.Refused || !id.Complete() {
		t.Fatalf("ReadIdentity = %+v, %v", id, err)
	}
	id, err = m.ReadIdentity(t.Context(), &net.Dialer{}, tgt, login.Credential{Username: "admin", Password: "x"}, nil)
	if err != nil || !id.Refused || len(id.Claims) > 0 {
		t.Errorf("wrong account: ReadIdentity = %+v, %v; want a refusal", id, err)
	}
}

package onvifauth

import (
	"io"
	"net"
	nethttp "net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/login/digest"
	"github.com/camwarden/camwarden/internal/probe/probetest"
)

// dahuaChallenge is the challenge of a Dahua camera's ONVIF device service
// (shared/data field-captures/dahua/dahua-ipc_onvif-http-401_media_service.txt).
const dahuaChallenge = `Digest realm="Login to 0ccf58c7410332c7caa363406561b351",qop="auth",nonce="b252aWYtZGlnZXN0OjQzNTY3Mzg5NDgw", opaque="", stale="false"`

// TestHTTPDigestDeviceService: a device service that wants HTTP Digest
// before any SOAP (even GetSystemDateAndTime) is a login surface; the
// factory password is found, a wrong one is refused after one check.
func TestHTTPDigestDeviceService(t *testing.T) {
	var checks atomic.Int32
	srv := httptest.NewServer(nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		body, _ := io.ReadAll(r.Body)
		if authz := r.Header.Get("Authorization"); authz != "" {
			checks.Add(1)
			c, _ := digest.Parse(dahuaChallenge)
			p, err := digest.Params(strings.TrimPrefix(authz, "Digest "))
			want, _ := c.Authorization(digest.Request{Method: r.Method, URI: p["uri"], Username: "admin", Password: "admin", CNonce: p["cnonce"]})
			if err == nil && strings.Contains(want, `response="`+p["response"]+`"`) && strings.Contains(string(body), "GetUsers") {
				w.Header().Set("Content-Type", "application/soap+xml; charset=utf-8")
				_, _ = w.Write([]byte(`<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><GetUsersResponse/></s:Body></s:Envelope>`))
				return
			}
		}
		w.Header().Set("WWW-Authenticate", dahuaChallenge)
		w.Header().Set("Content-Type", "application/soap+xml; charset=utf-8")
		w.WriteHeader(nethttp.StatusUnauthorized)
	}))
	defer srv.Close()
	tgt := probetest.URLTarget(t, srv.URL)
	m := &Method{}
	if o, err := m.NoCredential(t.Context(), &net.Dialer{}, tgt); err != nil || o.Result != login.Failure {
		t.Fatalf("NoCredential = %+v, %v", o, err)
	}
	if checks.Load() != 0 {
		t.Fatalf("%d password checks without a credential", checks.Load())
	}
	if o, err := m.Try(t.Context(), &net.Dialer{}, tgt, login.Credential{Username: "admin", Password: "wrong"}); err != nil || o.Result != login.Failure {
		t.Fatalf("wrong password: %+v, %v", o, err)
	}
	if n := checks.Load(); n != 1 {
		t.Errorf("a wrong password cost %d checks, want 1", n)
	}
	if o, err := m.Try(t.Context(), &net.Dialer{}, tgt, login.Credential{Username: "admin", Password: "admin"}); err != nil || o.Result != login.Success {
		t.Fatalf("factory password: %+v, %v", o, err)
	}
}

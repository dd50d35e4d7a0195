package onvif

import (
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// FuzzParseEnvelope feeds the SOAP parser real ONVIF answers and their
// mutations: no panic, and the device time it derives is valid or empty.
func FuzzParseEnvelope(f *testing.F) {
	names, _ := filepath.Glob(filepath.Join("testdata", "*.xml"))
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		env, err := ParseEnvelope(b)
		if env == nil {
			t.Fatal("nil envelope")
		}
		if err != nil {
			return
		}
		if ts := deviceTime(env); ts != "" && !utf8.ValidString(ts) {
			t.Fatalf("time %q", ts)
		}
		if env.Fault != nil {
			_ = env.Fault.NotAuthorized()
		}
	})
}

// FuzzChallenge feeds the challenge readers of a device service's 401
// real challenges and their mutations: no panic, a realm no longer than
// the challenge.
func FuzzChallenge(f *testing.F) {
	f.Add(`Digest realm="Login to 0ccf58c7410332c7caa363406561b351",qop="auth",nonce="b252aWYtZGlnZXN0OjQzNTY3Mzg5NDgw", opaque="", stale="false"`, []byte(""))
	f.Add(`Basic realm="DS-2DF7286-A"`, []byte("<!DOCTYPE html><html><head><title>Document Error: Unauthorized</title></head></html>"))
	f.Fuzz(func(t *testing.T, challenge string, body []byte) {
		if r := challengeRealm(challenge); len(r) > len(challenge) {
			t.Fatalf("realm %q longer than %q", r, challenge)
		}
		_ = needsHTTPDigest(&Reply{StatusCode: 401, Challenge: challenge, Body: body})
		_, _ = digestAuthorization(challenge, DevicePath, &UsernameToken{Username: "admin", Password: "x"})
	})
}

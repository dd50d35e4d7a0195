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

package exposure

import (
	"os"
	"path/filepath"
	"testing"
)

func seed(f *testing.F, names ...string) {
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join("testdata", n))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

func FuzzParseEZVIZ(f *testing.F) {
	seed(f, "hikvision-ds2cd-ezviz-enabled.xml", "hikvision-ds2cd-ezviz-disabled.xml")
	f.Add([]byte(`<!DOCTYPE EZVIZ SYSTEM "file:///etc/passwd"><EZVIZ/>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		st, err := ParseEZVIZ(b)
		if err == nil && st.Service != "hik-connect" {
			t.Errorf("parsed without service name: %+v", st)
		}
	})
}

func FuzzParseDahuaP2P(f *testing.F) {
	seed(f, "dahua-ipc-t2userver-enabled.txt", "dahua-ipc-t2userver-disabled.txt")
	f.Fuzz(func(t *testing.T, b []byte) {
		st, err := ParseDahuaP2P(b)
		if err == nil && st.Service != "dahua-p2p" {
			t.Errorf("parsed without service name: %+v", st)
		}
	})
}

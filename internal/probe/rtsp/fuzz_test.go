package rtsp

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzReadResponse feeds the response parser real camera replies and
// mutations of them: no panic, and the caps hold.
func FuzzReadResponse(f *testing.F) {
	names, _ := filepath.Glob(filepath.Join("testdata", "*.txt"))
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		resp, err := ReadResponse(bufio.NewReader(bytes.NewReader(b)))
		if err == nil && (resp == nil || len(resp.Body) > BodyCap || resp.StatusCode < 100) {
			t.Fatalf("bad response %+v", resp)
		}
		if resp != nil && resp.Header != nil {
			for _, v := range resp.Header.Values("WWW-Authenticate") {
				_, _ = parseChallenge(v)
			}
		}
	})
}

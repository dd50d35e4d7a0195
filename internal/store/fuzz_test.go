package store

import (
	"strings"
	"testing"
)

// FuzzRedactText checks on device-supplied text (trace lines, evidence)
// that redaction is idempotent and never leaves a URL password behind.
func FuzzRedactText(f *testing.F) {
	for _, seed := range []string{
		"DESCRIBE rtsp://127.77.0.2:554/Streaming/Channels/101 RTSP/1.0\r\nCSeq: 2\r\nAccept: application/sdp",
		"rtsp://admin:12345@127.77.0.2:554/Streaming/Channels/101",
		"GET / HTTP/1.1\r\nAuthorization: Basic YWRtaW46MTIzNDU=\r\n",
		"http://:pw@h/ ftp://u:p:q@h",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once := redactText(s)
		if twice := redactText(once); twice != once {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, once, twice)
		}
		for _, m := range urlPassword.FindAllStringSubmatch(once, -1) {
			if !strings.HasSuffix(m[0], ":"+Redacted+"@") {
				t.Fatalf("URL password left in %q", once)
			}
		}
	})
}

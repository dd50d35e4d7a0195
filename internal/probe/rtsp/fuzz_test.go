package rtsp

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// seedFiles returns the real captures the fuzz tests start from: this
// package's testdata and the RTSP answers and SDPs of ../shared/data
// (field captures, Kane610/axis, gortsplib's real-device SDP suite).
func seedFiles(f *testing.F) [][]byte {
	f.Helper()
	var names []string
	for _, g := range []string{
		filepath.Join("testdata", "*.txt"),
		filepath.Join(sharedData, "field-captures", "*", "*rtsp*"),
		filepath.Join(sharedData, "axis-kane610", "test_rtsp__*.txt"),
		filepath.Join(sharedData, "gortsplib-sdp", "*.sdp"),
	} {
		m, _ := filepath.Glob(g)
		names = append(names, m...)
	}
	if len(names) < 60 {
		f.Fatalf("%d seed captures, want the testdata and ../shared/data ones", len(names))
	}
	var out [][]byte
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// FuzzReadResponse feeds the response parser real camera replies and
// mutations of them, several answers in a row: no panic, and the caps hold.
func FuzzReadResponse(f *testing.F) {
	for _, b := range seedFiles(f) {
		f.Add(b)
		f.Add(fromStatusLine(b))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		br := bufio.NewReader(bytes.NewReader(b))
		for range 4 {
			resp, err := ReadResponse(br)
			if err == nil && (resp == nil || len(resp.Body) > BodyCap || resp.StatusCode < 100) {
				t.Fatalf("bad response %+v", resp)
			}
			if resp == nil {
				return
			}
			if n := len(ParseChallenges(resp.Header.Values("WWW-Authenticate"))); n > challengeMax {
				t.Fatalf("%d challenges", n)
			}
			if u := resp.BaseURL("rtsp://10.0.0.1:554/x"); !strings.HasPrefix(u, "rtsp") && !strings.Contains(u, "://") {
				t.Fatalf("base %q", u)
			}
			_ = ParseSDP(resp.Body)
			if err != nil {
				return
			}
		}
	})
}

// FuzzParseChallenges: every WWW-Authenticate line of the captures, and
// mutations: at most challengeMax challenges, each Raw starting with its
// scheme.
func FuzzParseChallenges(f *testing.F) {
	for _, b := range seedFiles(f) {
		for line := range strings.SplitSeq(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.EqualFold(strings.TrimSpace(k), "WWW-Authenticate") {
				f.Add(strings.TrimSpace(v))
			}
		}
	}
	f.Fuzz(func(t *testing.T, v string) {
		cs := ParseChallenges([]string{v, v})
		if len(cs) > challengeMax {
			t.Fatalf("%d challenges", len(cs))
		}
		for _, c := range cs {
			if c.Scheme == "" || !strings.HasPrefix(c.Raw, c.Scheme) {
				t.Fatalf("challenge %+v", c)
			}
		}
	})
}

// FuzzParseSDP: the SDP bodies of the captures and gortsplib's suite: at
// most sdpMediaMax sections, each with a media type.
func FuzzParseSDP(f *testing.F) {
	for _, b := range seedFiles(f) {
		if _, body, ok := bytes.Cut(b, []byte("\r\n\r\n")); ok {
			f.Add(body)
		} else {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s := ParseSDP(b)
		if len(s.Media) > sdpMediaMax {
			t.Fatalf("%d media", len(s.Media))
		}
		for _, m := range s.Media {
			if !mediaType(m.Type) {
				t.Fatalf("media %+v", m)
			}
		}
	})
}

// FuzzBaseURL: the Content-Base values of the captures: the result never
// carries user information.
func FuzzBaseURL(f *testing.F) {
	for _, b := range seedFiles(f) {
		for line := range strings.SplitSeq(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.EqualFold(k, "Content-Base") {
				f.Add(strings.TrimSpace(v), "rtsp://10.0.0.1:554/stream1")
			}
		}
	}
	f.Add("192.168.1.10:554/stream0/", "rtsp://u:p@10.0.0.1/x")
	f.Fuzz(func(t *testing.T, base, req string) {
		r := &Response{Header: map[string][]string{"Content-Base": {base}}}
		u := r.BaseURL(req)
		host, _ := splitRTSPURL(u)
		if strings.Contains(host, "@") {
			t.Fatalf("user information left in %q", u)
		}
	})
}

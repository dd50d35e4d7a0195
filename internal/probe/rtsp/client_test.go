package rtsp

import (
	"bufio"
	"bytes"
	"net"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/camwarden/camwarden/internal/probe/probetest"
)

// cseqValue matches the CSeq line of a capture in any spelling.
var cseqValue = regexp.MustCompile(`(?im)^cseq: *\d+`)

// replayer answers each request on a connection with the next of answers
// (real captures, CSeq rewritten to the request's unless keepCSeq), and
// closes the connection after closeAfter answers (0: never).
func replayer(t *testing.T, answers [][]byte, keepCSeq bool, closeAfter int, conns *atomic.Int32) func(net.Conn) {
	t.Helper()
	return func(c net.Conn) {
		conns.Add(1)
		br := bufio.NewReader(c)
		for i := 0; closeAfter == 0 || i < closeAfter; i++ {
			cseq := ""
			for {
				line, err := br.ReadString('\n')
				if err != nil {
					return
				}
				if line == "\r\n" {
					break
				}
				if k, v, ok := strings.Cut(line, ":"); ok && strings.EqualFold(k, "CSeq") {
					cseq = strings.TrimSpace(v)
				}
			}
			a := answers[min(i, len(answers)-1)]
			if !keepCSeq {
				a = cseqValue.ReplaceAll(a, []byte("Cseq: "+cseq))
			}
			if _, err := c.Write(a); err != nil {
				return
			}
		}
	}
}

func TestClientConnection(t *testing.T) {
	notFound := probetest.Fixture(t, "gstreamer-rtspserver-describe-404.txt")
	wyze := fromStatusLine(sharedFile(t, "field-captures/wyze/wyze-cam-v3_rtsp-options-200_describe-401.txt"))
	_, wyze401, _ := bytes.Cut(wyze, []byte("\r\n\r\n"))
	withClose := bytes.Replace(notFound, []byte("\r\n\r\n"), []byte("\r\nConnection: close\r\n\r\n"), 1)
	tests := []struct {
		name       string
		answers    [][]byte
		keepCSeq   bool
		closeAfter int
		requests   int
		wantDials  int
		wantErr    bool
	}{
		{"kept alive", [][]byte{notFound}, false, 0, 5, 1, false},
		{"connection: close reconnects", [][]byte{withClose}, false, 1, 3, 3, false},
		// LIVE555 closes idle connections; the next request is resent once.
		{"closed after one answer", [][]byte{notFound}, false, 1, 3, 3, false},
		// The capture's own CSeq 0 then 1 answer requests 1 and 2: the
		// first is taken as stale only when lower; 0 < 1 so it is skipped
		// and the 401 (CSeq 1) answers request 1.
		{"stale answer skipped", [][]byte{wyze}, true, 0, 1, 1, false},
		{"cseq from the future", [][]byte{bytes.Replace(wyze401, []byte("CSeq: 1"), []byte("CSeq: 9"), 1)}, true, 0, 1, 1, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var conns atomic.Int32
			tgt := probetest.Serve(t, replayer(t, tc.answers, tc.keepCSeq, tc.closeAfter, &conns))
			c := &Client{Dialer: &net.Dialer{}, Addr: tgt.Address()}
			defer c.Close()
			var err error
			for range tc.requests {
				var r *Response
				r, err = c.Do(t.Context(), &Request{Method: "DESCRIBE", URL: "rtsp://" + tgt.Address() + "/x"})
				if err != nil {
					break
				}
				if r.StatusCode != 404 && r.StatusCode != 401 {
					t.Fatalf("status %d", r.StatusCode)
				}
			}
			if (err != nil) != tc.wantErr {
				t.Fatalf("err %v, want error %v", err, tc.wantErr)
			}
			if c.Dials != tc.wantDials || c.Requests < tc.requests {
				t.Errorf("dials %d requests %d, want %d dials for %d requests", c.Dials, c.Requests, tc.wantDials, tc.requests)
			}
		})
	}
}

package captures

import (
	"bufio"
	"fmt"
	"net"
	"regexp"
	"strings"
)

// rtspFake answers OPTIONS and DESCRIBE with a device's captured responses
// (the CSeq rewritten to the request's, Content-Length to the body
// present) and anything else with 405.
type rtspFake struct {
	options, describe message
}

// newRTSPFake picks the OPTIONS answer (the response with a Public header)
// and the DESCRIBE answer (a 401 when the capture has one: the probe sends
// no credentials; else the first other response) among msgs. open serves
// a 200 DESCRIBE before a 401, as a device without a password would.
func newRTSPFake(msgs []message, open bool) (*rtspFake, error) {
	var opts, unauth, other *message
	for i := range msgs {
		m := &msgs[i]
		if m.start == "" {
			if m.get("WWW-Authenticate") == "" {
				continue
			}
			m.start = "RTSP/1.0 401 Unauthorized" // the capture starts after the status line
		}
		switch {
		case m.get("Public") != "" && opts == nil:
			opts = m
		case strings.Contains(m.start, " 401") && unauth == nil:
			unauth = m
		case other == nil:
			other = m
		}
	}
	desc := unauth
	if desc == nil || open && other != nil && strings.Contains(other.start, " 200") {
		desc = other
	}
	switch {
	case desc == nil && opts == nil:
		return nil, fmt.Errorf("no rtsp response in the capture")
	case desc == nil:
		desc = opts
	case opts == nil:
		opts = desc
	}
	return &rtspFake{options: *opts, describe: *desc}, nil
}

func (f *rtspFake) serve(c net.Conn) {
	br := bufio.NewReader(c)
	for {
		method, cseq, err := readRequest(br)
		if err != nil {
			return
		}
		var out []byte
		switch method {
		case "OPTIONS":
			out = f.options.encode(cseq)
		case "DESCRIBE":
			out = f.describe.encode(cseq)
		default:
			out = message{start: "RTSP/1.0 405 Method Not Allowed"}.encode(cseq)
		}
		if _, err := c.Write(out); err != nil {
			return
		}
	}
}

// readRequest reads one request head and returns its method and CSeq.
func readRequest(br *bufio.Reader) (method, cseq string, err error) {
	for n := 0; ; n++ {
		line, err := br.ReadString('\n')
		if err != nil {
			return "", "", err
		}
		line = strings.TrimRight(line, "\r\n")
		if n == 0 {
			method, _, _ = strings.Cut(line, " ")
			continue
		}
		if line == "" {
			return method, cseq, nil
		}
		if k, v, ok := strings.Cut(line, ":"); ok && strings.EqualFold(k, "CSeq") {
			cseq = strings.TrimSpace(v)
		}
	}
}

// sdpMessage is the DESCRIBE 200 that carried a captured SDP body.
func sdpMessage(sdp []byte) message {
	return message{start: "RTSP/1.0 200 OK", header: []string{"Content-Type: application/sdp"}, body: []byte(crlf(string(sdp)))}
}

var reRealm = regexp.MustCompile(`realm="([^"]*)"`)

// realmMessages rebuilds the 401 of a device whose realm a client echoed
// in its Authorization header, and keeps the responses the capture holds.
func realmMessages(b []byte) ([]message, error) {
	m := reRealm.FindSubmatch(b)
	if m == nil {
		return nil, fmt.Errorf("no realm in the capture")
	}
	msgs := []message{{start: "RTSP/1.0 401 Unauthorized",
		header: []string{`WWW-Authenticate: Digest realm="` + string(m[1]) + `", nonce="0123456789abcdef"`}}}
	return append(msgs, splitMessages(b)...), nil
}

// nmapMessages reads the answer to nmap's RTSPRequest probe out of
// "fingerprint-strings" output.
func nmapMessages(b []byte) ([]message, error) {
	var lines []string
	in := false
	for _, l := range strings.Split(string(b), "\n") {
		t := strings.TrimPrefix(strings.TrimPrefix(l, "|_"), "|")
		switch {
		case strings.TrimSpace(t) == "RTSPRequest:":
			in = true
		case in && strings.HasPrefix(t, "     "):
			lines = append(lines, strings.TrimSpace(t))
		case in:
			in = false
		}
	}
	if len(lines) == 0 {
		return nil, fmt.Errorf("no RTSPRequest answer in the nmap output")
	}
	return splitMessages([]byte(strings.Join(lines, "\r\n") + "\r\n\r\n")), nil
}

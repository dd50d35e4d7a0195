package rtsp

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/textproto"
	"strconv"
	"strings"

	"github.com/camwarden/camwarden/internal/probe"
)

// Read caps for RTSP answers.
const (
	HeaderCap = 64 << 10 // status line and headers
	BodyCap   = 64 << 10 // Content-Length accepted (SDP)
	lineCap   = 8 << 10
	frameMax  = 64 // interleaved RTP frames skipped before giving up
	blankMax  = 8  // empty lines skipped before a status line
)

// ErrNotRTSP is returned when the peer answers with something that is not
// an RTSP status line.
var ErrNotRTSP = errors.New("rtsp: not an rtsp response")

// ErrMalformed is returned for an RTSP answer that cannot be parsed.
var ErrMalformed = errors.New("rtsp: malformed response")

// Response is one RTSP answer.
type Response struct {
	Proto      string // "RTSP/1.0"
	StatusCode int
	Status     string               // "401 Unauthorized"
	Header     textproto.MIMEHeader // canonical keys ("Cseq", "Www-Authenticate"), multi-valued
	Body       []byte               // at most BodyCap bytes
	// Truncated is true when the peer closed the connection inside the
	// answer: before the blank line ending the headers, or before
	// Content-Length bytes of body. Header and Body hold what arrived.
	Truncated bool
}

// ReadResponse reads one RTSP answer from br, leniently as real cameras
// write them: interleaved "$" RTP frames and stray empty lines before it are
// skipped, LF-only line endings, header names in any case and without a
// space after the colon are accepted, a header line with a leading space is
// a header of its own when it looks like one, and a peer that closes early
// gives a Truncated answer instead of an error. The head is capped at
// HeaderCap and the body at BodyCap (a larger Content-Length gives
// probe.ErrTooLarge).
func ReadResponse(br *bufio.Reader) (*Response, error) {
	line, err := readStatusLine(br)
	if err != nil {
		return nil, err
	}
	resp, err := parseStatusLine(line)
	if err != nil {
		return nil, err
	}
	lines, err := readHead(br)
	resp.Header = parseHeader(lines)
	if err != nil {
		if !isEOF(err) {
			return resp, err
		}
		resp.Truncated = true
		return resp, nil
	}
	cl := firstField(resp.Header.Get("Content-Length"))
	if cl == "" {
		return resp, nil
	}
	n, err := strconv.Atoi(cl)
	switch {
	case err != nil || n < 0:
		return resp, fmt.Errorf("%w: content-length %q", ErrMalformed, probe.Printable([]byte(cl), 40))
	case n > BodyCap:
		return resp, fmt.Errorf("content-length %d: %w", n, probe.ErrTooLarge)
	}
	body := make([]byte, n)
	got, err := io.ReadFull(br, body)
	resp.Body = body[:got]
	if err != nil {
		if !isEOF(err) {
			return resp, fmt.Errorf("read body: %w", err)
		}
		resp.Truncated = true
	}
	return resp, nil
}

func isEOF(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// firstField returns the first whitespace-separated word of v ("3" of
// "3 DESCRIBE").
func firstField(v string) string {
	f := strings.Fields(v)
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// readStatusLine skips interleaved frames and a few empty lines (left by a
// Content-Length that undercounted the previous body) and returns the
// first line of the answer.
func readStatusLine(br *bufio.Reader) (string, error) {
	for range blankMax {
		if err := skipInterleaved(br); err != nil {
			return "", err
		}
		line, err := probe.ReadLine(br, lineCap)
		if err != nil {
			return "", err
		}
		if strings.TrimSpace(line) != "" {
			return line, nil
		}
	}
	return "", fmt.Errorf("%w: more than %d empty lines", ErrNotRTSP, blankMax)
}

// skipInterleaved drops "$ channel length payload" frames a server may
// send before its answer.
func skipInterleaved(br *bufio.Reader) error {
	for range frameMax {
		b, err := br.Peek(1)
		if err != nil {
			return err
		}
		if b[0] != '$' {
			return nil
		}
		hdr := make([]byte, 4)
		if _, err := io.ReadFull(br, hdr); err != nil {
			return err
		}
		n := int(hdr[2])<<8 | int(hdr[3])
		if _, err := br.Discard(n); err != nil {
			return err
		}
	}
	return fmt.Errorf("%w: more than %d interleaved frames", ErrMalformed, frameMax)
}

// parseStatusLine reads "RTSP/1.0 200 OK"; the reason may be missing and
// the words may be separated by several spaces.
func parseStatusLine(line string) (*Response, error) {
	f := strings.Fields(line)
	if len(f) == 0 || len(f[0]) < 7 || !strings.EqualFold(f[0][:7], "RTSP/1.") {
		return nil, fmt.Errorf("%w: %q", ErrNotRTSP, probe.Printable([]byte(line), 60))
	}
	code := 0
	if len(f) > 1 {
		code, _ = strconv.Atoi(f[1])
	}
	if code < 100 || code > 999 {
		return nil, fmt.Errorf("%w: status %q", ErrMalformed, probe.Printable([]byte(line), 60))
	}
	return &Response{Proto: f[0], StatusCode: code, Status: strings.Join(f[1:], " ")}, nil
}

// readHead reads header lines up to the blank line, at most HeaderCap
// bytes. On EOF it returns the lines read so far with the error.
func readHead(br *bufio.Reader) ([]string, error) {
	var lines []string
	size := 0
	for {
		line, err := probe.ReadLine(br, lineCap)
		if err != nil {
			if line != "" && isEOF(err) {
				lines = append(lines, line)
			}
			return lines, fmt.Errorf("read headers: %w", err)
		}
		if strings.TrimSpace(line) == "" {
			return lines, nil
		}
		if size += len(line) + 2; size > HeaderCap {
			return lines, fmt.Errorf("headers: %w", probe.ErrTooLarge)
		}
		lines = append(lines, line)
	}
}

// parseHeader turns header lines into a canonical multi-valued header.
// Lines without a colon or with an invalid name are dropped; a line with
// leading white space continues the previous value unless it looks like
// "Name: value" itself (a stray space seen on real devices).
func parseHeader(lines []string) textproto.MIMEHeader {
	h := textproto.MIMEHeader{}
	last := ""
	for _, line := range lines {
		folded := line[0] == ' ' || line[0] == '\t'
		k, v, ok := strings.Cut(strings.TrimSpace(line), ":")
		k = strings.TrimSpace(k)
		if !ok || !validName(k) {
			if folded && last != "" {
				vs := h[last]
				vs[len(vs)-1] = strings.TrimSpace(vs[len(vs)-1] + " " + strings.TrimSpace(line))
			}
			continue
		}
		last = textproto.CanonicalMIMEHeaderKey(k)
		h[last] = append(h[last], strings.TrimSpace(v))
	}
	return h
}

// validName reports whether k is an RFC 7230 token.
func validName(k string) bool {
	if k == "" || len(k) > 64 {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// HeaderList splits the comma-separated list values of key ("OPTIONS,
// DESCRIBE", "OPTIONS,DESCRIBE" or several headers) into trimmed items.
func HeaderList(h textproto.MIMEHeader, key string) []string {
	var out []string
	for _, v := range h.Values(key) {
		for item := range strings.SplitSeq(v, ",") {
			if item = strings.TrimSpace(item); item != "" {
				out = append(out, item)
			}
		}
	}
	return out
}

// closes reports whether the answer ends the connection: a "Connection:
// close" token, or a peer that closed inside the answer.
func (r *Response) closes() bool {
	if r.Truncated {
		return true
	}
	for _, t := range HeaderList(r.Header, "Connection") {
		if strings.EqualFold(t, "close") {
			return true
		}
	}
	return false
}

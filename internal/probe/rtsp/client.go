// Package rtsp identifies RTSP services (OPTIONS, then DESCRIBE without
// credentials) and offers a small RTSP/1.0 client that the authentication
// check reuses.
package rtsp

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"strconv"
	"strings"
	"time"

	"github.com/camwarden/camwarden/internal/probe"
)

// Read caps for RTSP answers.
const (
	HeaderCap = 64 << 10 // status line and headers
	BodyCap   = 64 << 10 // Content-Length accepted (SDP)
	lineCap   = 8 << 10
	frameMax  = 64 // interleaved RTP frames skipped before giving up
)

// ErrNotRTSP is returned when the peer answers with something that is not
// an RTSP status line.
var ErrNotRTSP = errors.New("rtsp: not an rtsp response")

// ErrMalformed is returned for an RTSP answer that cannot be parsed.
var ErrMalformed = errors.New("rtsp: malformed response")

// Request is one RTSP request. The client adds CSeq and User-Agent.
type Request struct {
	Method string
	URL    string               // e.g. rtsp://127.77.0.3:554/Streaming/Channels/101
	Header textproto.MIMEHeader // optional extra headers (Authorization...)
}

// Response is one RTSP answer.
type Response struct {
	Proto      string // "RTSP/1.0"
	StatusCode int
	Status     string               // "401 Unauthorized"
	Header     textproto.MIMEHeader // canonical keys, multi-valued
	Body       []byte               // at most BodyCap bytes
}

// Client speaks RTSP/1.0 over one connection, opened through Dialer on
// first use and reopened after an error.
type Client struct {
	Dialer    probe.Dialer
	Addr      string // host:port
	UserAgent string // "" sends DefaultUserAgent

	conn net.Conn
	br   *bufio.Reader
	cseq int
}

// DefaultUserAgent identifies camwarden to the device.
const DefaultUserAgent = "camwarden"

// Close closes the connection, if any.
func (c *Client) Close() error {
	if c.conn == nil {
		return nil
	}
	err := c.conn.Close()
	c.conn, c.br = nil, nil
	return err
}

// Do sends req and reads its answer, skipping interleaved RTP frames and
// checking CSeq. The deadline comes from ctx.
func (c *Client) Do(ctx context.Context, req *Request) (*Response, error) {
	if c.conn == nil {
		conn, err := c.Dialer.DialContext(ctx, "tcp", c.Addr)
		if err != nil {
			return nil, fmt.Errorf("rtsp dial %s: %w", c.Addr, err)
		}
		c.conn, c.br = conn, bufio.NewReaderSize(conn, 4096)
	}
	stop := probe.ApplyDeadline(ctx, c.conn, 5*time.Second)
	defer stop()
	c.cseq++
	if _, err := c.conn.Write(c.encode(req)); err != nil {
		_ = c.Close()
		return nil, fmt.Errorf("rtsp %s %s: %w", req.Method, c.Addr, err)
	}
	resp, err := ReadResponse(c.br)
	if err != nil {
		_ = c.Close()
		return resp, fmt.Errorf("rtsp %s %s: %w", req.Method, c.Addr, err)
	}
	if got := resp.Header.Get("CSeq"); got != "" && strings.TrimSpace(got) != strconv.Itoa(c.cseq) {
		_ = c.Close()
		return resp, fmt.Errorf("rtsp %s %s: cseq %q, sent %d: %w", req.Method, c.Addr, got, c.cseq, ErrMalformed)
	}
	return resp, nil
}

func (c *Client) encode(req *Request) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s RTSP/1.0\r\nCSeq: %d\r\n", req.Method, req.URL, c.cseq)
	ua := c.UserAgent
	if ua == "" {
		ua = DefaultUserAgent
	}
	fmt.Fprintf(&b, "User-Agent: %s\r\n", ua)
	for k, vs := range req.Header {
		for _, v := range vs {
			fmt.Fprintf(&b, "%s: %s\r\n", k, v)
		}
	}
	b.WriteString("\r\n")
	return b.Bytes()
}

// ReadResponse reads one RTSP answer from br: interleaved "$" RTP frames
// before it are skipped, the head is capped at HeaderCap and the body at
// BodyCap (a larger Content-Length gives probe.ErrTooLarge).
func ReadResponse(br *bufio.Reader) (*Response, error) {
	if err := skipInterleaved(br); err != nil {
		return nil, err
	}
	line, err := probe.ReadLine(br, lineCap)
	if err != nil {
		return nil, err
	}
	resp, err := parseStatusLine(line)
	if err != nil {
		return nil, err
	}
	head, err := readHead(br)
	if err != nil {
		return resp, err
	}
	hdr, err := textproto.NewReader(bufio.NewReader(bytes.NewReader(head))).ReadMIMEHeader()
	if err != nil && !errors.Is(err, io.EOF) {
		return resp, fmt.Errorf("%w: headers: %v", ErrMalformed, err)
	}
	resp.Header = hdr
	if resp.Header == nil {
		resp.Header = textproto.MIMEHeader{}
	}
	cl := strings.TrimSpace(resp.Header.Get("Content-Length"))
	if cl == "" {
		return resp, nil
	}
	n, err := strconv.Atoi(cl)
	switch {
	case err != nil || n < 0:
		return resp, fmt.Errorf("%w: content-length %q", ErrMalformed, cl)
	case n > BodyCap:
		return resp, fmt.Errorf("content-length %d: %w", n, probe.ErrTooLarge)
	}
	resp.Body = make([]byte, n)
	if _, err := io.ReadFull(br, resp.Body); err != nil {
		return resp, fmt.Errorf("read body: %w", err)
	}
	return resp, nil
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

func parseStatusLine(line string) (*Response, error) {
	proto, rest, _ := strings.Cut(line, " ")
	if !strings.HasPrefix(proto, "RTSP/1.") {
		return nil, fmt.Errorf("%w: %q", ErrNotRTSP, probe.Printable([]byte(line), 60))
	}
	codeStr, reason, _ := strings.Cut(rest, " ")
	code, err := strconv.Atoi(codeStr)
	if err != nil || code < 100 || code > 999 {
		return nil, fmt.Errorf("%w: status %q", ErrMalformed, probe.Printable([]byte(line), 60))
	}
	return &Response{Proto: proto, StatusCode: code, Status: strings.TrimSpace(codeStr + " " + reason)}, nil
}

// readHead reads header lines up to the blank line, at most HeaderCap bytes.
func readHead(br *bufio.Reader) ([]byte, error) {
	var head bytes.Buffer
	for {
		line, err := probe.ReadLine(br, lineCap)
		if err != nil {
			return nil, fmt.Errorf("read headers: %w", err)
		}
		if line == "" {
			head.WriteString("\r\n")
			return head.Bytes(), nil
		}
		if head.Len()+len(line) > HeaderCap {
			return nil, fmt.Errorf("headers: %w", probe.ErrTooLarge)
		}
		head.WriteString(line)
		head.WriteString("\r\n")
	}
}

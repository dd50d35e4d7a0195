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
	"syscall"
	"time"

	"github.com/camwarden/camwarden/internal/probe"
)

// Request is one RTSP request. The client adds CSeq and User-Agent.
type Request struct {
	Method string
	URL    string               // e.g. rtsp://127.77.0.3:554/Streaming/Channels/101
	Header textproto.MIMEHeader // optional extra headers (Authorization...)
}

// Client speaks RTSP/1.0 over one kept-alive connection, opened through
// Dialer on first use. It reopens the connection only when the device
// closed it: after an answer with "Connection: close", a truncated answer
// or an error, and once, for a request without credentials, when a reused
// connection turns out to be closed before any byte of the answer.
type Client struct {
	Dialer    probe.Dialer
	Addr      string // host:port
	UserAgent string // "" sends DefaultUserAgent

	// MaxDials, when positive, bounds the connections opened: one more
	// gives ErrDialLimit.
	MaxDials int
	// Dials counts the connections opened and Requests the requests
	// written, for the per-device trace.
	Dials, Requests int

	conn   net.Conn
	br     *bufio.Reader
	cseq   int
	onConn int // requests sent on the current connection
}

// ErrDialLimit is returned when a request would open more than MaxDials
// connections (the device closes them after each answer).
var ErrDialLimit = errors.New("rtsp: connection limit reached")

// DefaultUserAgent identifies camwarden to the device.
const DefaultUserAgent = "camwarden"

// staleMax bounds the answers to earlier requests skipped before ours.
const staleMax = 2

// Close closes the connection, if any.
func (c *Client) Close() error {
	if c.conn == nil {
		return nil
	}
	err := c.conn.Close()
	c.conn, c.br, c.onConn = nil, nil, 0
	return err
}

// Connected reports whether the client holds an open connection (the next
// request will not dial).
func (c *Client) Connected() bool { return c.conn != nil }

// Do sends req and reads its answer. The deadline comes from ctx.
func (c *Client) Do(ctx context.Context, req *Request) (*Response, error) {
	resp, reused, err := c.roundTrip(ctx, req)
	if err != nil && reused && resp == nil && closedByPeer(err) && req.Header.Get("Authorization") == "" && ctx.Err() == nil {
		c.Requests-- // it went to a connection the device had closed
		resp, _, err = c.roundTrip(ctx, req)
	}
	if err != nil {
		_ = c.Close()
		return resp, fmt.Errorf("rtsp %s %s: %w", req.Method, c.Addr, err)
	}
	if resp.closes() {
		_ = c.Close()
	}
	return resp, nil
}

// roundTrip writes req on the connection (dialled if needed) and reads
// its answer, skipping answers to earlier requests. reused is true when
// the connection had carried a request before.
func (c *Client) roundTrip(ctx context.Context, req *Request) (resp *Response, reused bool, err error) {
	if c.conn == nil {
		if c.MaxDials > 0 && c.Dials >= c.MaxDials {
			return nil, false, ErrDialLimit
		}
		conn, err := c.Dialer.DialContext(ctx, "tcp", c.Addr)
		if err != nil {
			return nil, false, fmt.Errorf("dial: %w", err)
		}
		c.conn, c.br, c.onConn = conn, bufio.NewReaderSize(conn, 4096), 0
		c.Dials++
	}
	reused = c.onConn > 0
	stop := probe.ApplyDeadline(ctx, c.conn, 5*time.Second)
	defer stop()
	c.cseq++
	c.Requests++
	c.onConn++
	if _, err := c.conn.Write(c.encode(req)); err != nil {
		_ = c.Close()
		return nil, reused, err
	}
	for range staleMax + 1 {
		resp, err = ReadResponse(c.br)
		if err != nil {
			_ = c.Close()
			return resp, reused, err
		}
		got, ok := cseqOf(resp)
		switch {
		case !ok || got == c.cseq:
			return resp, reused, nil
		case got > c.cseq:
			return resp, reused, fmt.Errorf("cseq %d, sent %d: %w", got, c.cseq, ErrMalformed)
		}
	}
	return resp, reused, fmt.Errorf("cseq %d: more than %d stale answers: %w", c.cseq, staleMax, ErrMalformed)
}

// closedByPeer reports whether err says the device had closed the
// connection (EOF before an answer, reset, broken pipe).
func closedByPeer(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// cseqOf returns the answer's CSeq ("Cseq", "cseq" and trailing words
// accepted); ok is false when it is missing or not a number.
func cseqOf(r *Response) (int, bool) {
	n, err := strconv.Atoi(firstField(r.Header.Get("CSeq")))
	return n, err == nil
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

package igd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"sync"

	"github.com/camwarden/camwarden/internal/probe"
)

// Read caps of device input.
const (
	MaxDescription = 256 << 10 // root description
	MaxSOAP        = 1 << 20   // one SOAP answer (GetListOfPortMappings may be long)
	maxHeader      = 16 << 10
	maxTraceData   = 1024
)

// ErrForbidden is returned when a connection to anything but the gateway's
// LAN address, or to its external address, is attempted.
var ErrForbidden = errors.New("igd: refusing to connect")

// client is an HTTP client that can reach only one gateway address and
// reads at most MaxSOAP bytes of any answer.
type client struct {
	opts    Options
	gateway netip.Addr
	http    *http.Client
	mu      sync.Mutex
	denied  map[netip.Addr]bool
	trace   []probe.TraceEntry
}

func newClient(opts Options, gateway netip.Addr) *client {
	c := &client{opts: opts, gateway: gateway.Unmap(), denied: map[netip.Addr]bool{}}
	c.http = &http.Client{
		Transport: cappedTransport{record: c.record, rt: &http.Transport{
			DialContext:            c.dial,
			DisableKeepAlives:      true,
			MaxResponseHeaderBytes: maxHeader,
			ResponseHeaderTimeout:  opts.Timeout,
		}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       opts.Timeout,
	}
	return c
}

// forbid adds an address the client must never dial (the external one).
func (c *client) forbid(a netip.Addr) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.denied[a.Unmap()] = true
}

// dial connects to the gateway only.
func (c *client) dial(ctx context.Context, network, hostport string) (net.Conn, error) {
	ap, err := netip.ParseAddrPort(hostport)
	if err != nil {
		return nil, fmt.Errorf("%w: %q is not an address", ErrForbidden, hostport)
	}
	a := ap.Addr().Unmap()
	c.mu.Lock()
	denied := c.denied[a]
	c.mu.Unlock()
	if denied || a != c.gateway {
		return nil, fmt.Errorf("%w: %s is not the gateway %s", ErrForbidden, a, c.gateway)
	}
	return c.opts.Dialer.DialContext(ctx, "tcp", hostport)
}

func (c *client) close() { c.http.CloseIdleConnections() }

func (c *client) record(dir string, b []byte) {
	c.trace = append(c.trace, probe.TraceEntry{Dir: dir, Data: probe.Printable(b, maxTraceData)})
}

// description GETs and parses the root description.
func (c *client) description(ctx context.Context, location string) (Description, error) {
	u, err := sameHost(location, c.gateway)
	if err != nil {
		return Description{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return Description{}, err
	}
	req.Header.Set("User-Agent", "camwarden/1.0 UPnP/1.1")
	c.record("send", []byte("GET "+u.String()))
	resp, err := c.http.Do(req)
	if err != nil {
		return Description{}, fmt.Errorf("get %s: %w", u, err)
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := readCapped(resp.Body, MaxDescription)
	c.record("recv", body)
	if err != nil {
		return Description{}, fmt.Errorf("read %s: %w", u, err)
	}
	if resp.StatusCode != http.StatusOK {
		return Description{}, fmt.Errorf("%w: get %s: status %d", ErrMalformed, u, resp.StatusCode)
	}
	return ParseDescription(body)
}

// readCapped reads at most max bytes and fails with probe.ErrTooLarge beyond.
func readCapped(r io.Reader, max int) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, int64(max)+1))
	if err != nil {
		return b, err
	}
	if len(b) > max {
		return b[:max], probe.ErrTooLarge
	}
	return b, nil
}

// cappedTransport reads every response body whole, at most MaxSOAP bytes,
// before handing it on, so that libraries decoding the body (goupnp's SOAP
// client) see a bounded stream; the body is recorded in the trace.
type cappedTransport struct {
	rt     http.RoundTripper
	record func(dir string, b []byte)
}

func (t cappedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.rt.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := readCapped(resp.Body, MaxSOAP)
	_ = resp.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("read answer of %s %s: %w", req.Method, req.URL, err)
	}
	if req.Method == http.MethodPost {
		t.record("recv", fmt.Appendf(nil, "%d %s", resp.StatusCode, body))
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	return resp, nil
}

// Package http identifies HTTP and HTTPS services on cameras, NVRs and
// routers: status, Server, title, authentication challenge, cookies, TLS
// certificate, favicon hashes, vendor markers in the root page, and the
// unauthenticated vendor identity endpoints (Hikvision ISAPI, Dahua
// magicBox, Axis basicdeviceinfo, Reolink api.cgi).
package http

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	nethttp "net/http"
	"strings"
	"time"

	"github.com/camwarden/camwarden/internal/probe"
)

// Read caps applied to every HTTP answer of a device.
const (
	HeaderCap    = 64 << 10  // response header bytes
	BodyCap      = 256 << 10 // response body bytes
	MaxRedirects = 3         // same-host redirects followed
)

// UserAgent is sent with every request: a browser-like string, because
// some camera web servers answer non-browsers differently.
const UserAgent = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"

// NewClient returns an HTTP client for one target. Every connection goes
// through d to t's address (whatever host a URL names), is never kept alive,
// has its response headers capped at HeaderCap, and accepts any certificate
// (the probe records the certificate instead of judging it). Only same-host
// redirects are followed, at most MaxRedirects.
func NewClient(d probe.Dialer, t probe.Target) *nethttp.Client {
	addr := t.Address()
	tr := &nethttp.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return d.DialContext(ctx, "tcp", addr)
		},
		DisableKeepAlives:      true,
		DisableCompression:     true,
		MaxResponseHeaderBytes: HeaderCap,
		TLSClientConfig: &tls.Config{
			InsecureSkipVerify: true, //nolint:gosec // auditor records the certificate
			ServerName:         t.Hostname,
			MinVersion:         tls.VersionTLS10,
		},
		TLSHandshakeTimeout: 10 * time.Second,
		Proxy:               nil,
	}
	return &nethttp.Client{
		Transport: tr,
		CheckRedirect: func(req *nethttp.Request, via []*nethttp.Request) error {
			if len(via) >= MaxRedirects || req.URL.Host != via[0].URL.Host {
				return nethttp.ErrUseLastResponse
			}
			return nil
		},
	}
}

// BaseURL returns "scheme://host:port" for t, naming the host by its
// hostname when the user gave one (for Host headers and SNI).
func BaseURL(t probe.Target, useTLS bool) string {
	scheme := "http"
	if useTLS {
		scheme = "https"
	}
	host := t.Addr.String()
	if t.Hostname != "" {
		host = t.Hostname
	}
	return scheme + "://" + net.JoinHostPort(host, fmt.Sprint(t.Port))
}

// Reply is one capped HTTP answer.
type Reply struct {
	Resp *nethttp.Response // body already read and closed
	Body []byte            // at most BodyCap bytes
}

// Do sends req and reads the answer, capping the body at BodyCap. When the
// body is cut short (cap, timeout) the reply read so far is returned with
// the error: ErrTooLarge or a timeout.
func Do(client *nethttp.Client, req *nethttp.Request) (*Reply, error) {
	req.Header.Set("User-Agent", UserAgent)
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := ReadCapped(resp.Body, BodyCap)
	return &Reply{Resp: resp, Body: body}, err
}

// ReadCapped reads r to the end or to max bytes; past max it returns what it
// read and probe.ErrTooLarge.
func ReadCapped(r io.Reader, max int) ([]byte, error) {
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(r, int64(max)+1))
	if n > int64(max) {
		return buf.Bytes()[:max], probe.ErrTooLarge
	}
	return buf.Bytes(), err
}

// classify maps an HTTP client error to a Status, knowing net/http's
// header-cap error (it has no exported type).
func classify(err error) probe.Status {
	if err != nil && strings.Contains(err.Error(), "headers exceeded") {
		return probe.StatusTooLarge
	}
	var ue interface{ Timeout() bool }
	if errors.As(err, &ue) && ue.Timeout() {
		return probe.StatusTimeout
	}
	return probe.Classify(err)
}

// notHTTP reports whether err says the peer answered with bytes that are
// not an HTTP response (or not TLS when TLS was tried).
func notHTTP(err error) bool {
	if err == nil || classify(err) == probe.StatusTooLarge {
		return false
	}
	s := err.Error()
	// "readLoopPeekFailLocked" is net/http's error when the peer spoke
	// first, before any request (an SSH or FTP banner): not HTTP either.
	return strings.Contains(s, "malformed HTTP") || strings.Contains(s, "does not look like a TLS") ||
		strings.Contains(s, "server gave HTTP response") || strings.Contains(s, "tls: ") ||
		strings.Contains(s, "readLoopPeekFailLocked")
}

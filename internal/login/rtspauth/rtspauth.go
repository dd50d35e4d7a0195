// Package rtspauth tries RTSP Basic and Digest logins with DESCRIBE and
// finds, without credentials, the route a device streams on (the route
// dictionary walked on one kept-alive connection within a time budget,
// keeping the SDP of an open stream as evidence) or the route it asks a
// password on.
package rtspauth

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/textproto"
	"strings"
	"time"

	"github.com/camwarden/camwarden/internal/catalog/rtsproutes"
	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/login/digest"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/probe/rtsp"
)

// RequestTimeout bounds one RTSP exchange.
const RequestTimeout = 5 * time.Second

// Method logs in with DESCRIBE on Route, and finds the device's stream
// route and login surface without credentials (Discover).
type Method struct {
	Route string // path with query for Try; "" is "/"
	// Vendor orders the dictionary for NoCredential: its own routes first.
	Vendor string
	// Probed are routes the RTSP probe saw answer 401 or 200, tried first.
	Probed []string
	// NoCredRoutes, when set, replaces the dictionary's order.
	NoCredRoutes []string
	// Dictionary is the route dictionary; nil loads the embedded one.
	Dictionary *rtsproutes.Dictionary
	// Budget bounds the time NoCredential spends on one device; 0 is
	// DefaultBudget.
	Budget time.Duration
}

// Name returns "rtsp-describe".
func (m *Method) Name() string { return "rtsp-describe" }

// Protocol returns "rtsp".
func (m *Method) Protocol() string { return "rtsp" }

func (m *Method) describe(ctx context.Context, cl *rtsp.Client, t probe.Target, path, authz string) (*rtsp.Response, error) {
	ctx, cancel := context.WithTimeout(ctx, RequestTimeout)
	defer cancel()
	req := &rtsp.Request{Method: "DESCRIBE", URL: URL(t, path), Header: textproto.MIMEHeader{"Accept": {"application/sdp"}}}
	if authz != "" {
		req.Header.Set("Authorization", authz)
	}
	return cl.Do(ctx, req)
}

// URL returns rtsp://host:port/path for t.
func URL(t probe.Target, path string) string {
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	return "rtsp://" + t.Address() + path
}

// NoCredential runs Discover and returns its outcome: Success when a
// route streams without a password (SDP as evidence), Failure with the
// login route and scheme, Unverifiable when a random path streams too.
func (m *Method) NoCredential(ctx context.Context, d probe.Dialer, t probe.Target) (login.Outcome, error) {
	disc, err := m.Discover(ctx, d, t)
	return disc.Outcome, err
}

// Try sends DESCRIBE on Route without credentials (it must answer 401),
// then answers the challenge with c. 200, or 404 after a 401 on the same
// URL (the server checked the credential before the path), is Success.
func (m *Method) Try(ctx context.Context, d probe.Dialer, t probe.Target, c login.Credential) (login.Outcome, error) {
	route := m.Route
	if route == "" {
		route = "/"
	}
	cl := &rtsp.Client{Dialer: d, Addr: t.Address()}
	defer cl.Close()
	out := login.Outcome{Route: route}
	first, err := m.describe(ctx, cl, t, route, "")
	if err != nil {
		return login.Errored(route, "rtsp describe", err)
	}
	if first.StatusCode != 401 {
		out.Result = login.Unverifiable
		return out, nil
	}
	scheme, chal := pick(first)
	out.Scheme = scheme
	var authz string
	switch scheme {
	case "basic":
		authz = basicAuthorization(c.Username, c.Password)
		out.Cleartext = true
	case "digest":
		authz, err = chal.Authorization(digest.Request{Method: "DESCRIBE", URI: URL(t, route), Username: c.Username, Password: c.Password})
		if err != nil {
			return login.Errored(route, "rtsp digest", err)
		}
	default:
		out.Result = login.Unverifiable
		return out, nil
	}
	resp, err := m.describe(ctx, cl, t, route, authz)
	if err != nil {
		return login.Errored(route, "rtsp describe with credentials", err)
	}
	switch resp.StatusCode {
	case 200, 404:
		out.Result = login.Success
		if resp.StatusCode == 200 {
			out.Evidence, out.EvidenceType = resp.Body, "sdp"
			out.Fields = streamFields(resp, URL(t, route))
		}
	case 401:
		out.Result = login.Failure
	case 403, 423:
		out.Result, out.Signal = login.Locked, fmt.Sprintf("rtsp %d after 401", resp.StatusCode)
	default:
		out.Result = login.Unverifiable
	}
	return out, nil
}

// streamFields are the fields of a stream's 200 DESCRIBE that identify
// the device: its Content-Base, resolved and without user information.
func streamFields(resp *rtsp.Response, requestURL string) map[string]string {
	return map[string]string{probe.FieldRTSPStreamBase: resp.BaseURL(requestURL)}
}

// pick returns the strongest challenge of a 401 (Digest over Basic), each
// WWW-Authenticate value split into its challenges first ("Basic realm=x,
// Digest realm=y, nonce=z" in one header).
func pick(resp *rtsp.Response) (string, *digest.Challenge) {
	var raws []string
	for _, c := range rtsp.ParseChallenges(resp.Header.Values("WWW-Authenticate")) {
		raws = append(raws, c.Raw)
	}
	return digest.Pick(raws)
}

func basicAuthorization(user, pass string) string {
	return "Basic " + b64(user+":"+pass)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Package rtspauth tries RTSP Basic and Digest logins with DESCRIBE, the
// vendor's stream routes first, and checks which routes stream without
// credentials (keeping the SDP as evidence).
package rtspauth

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/textproto"
	"strings"
	"time"

	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/login/digest"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/probe/rtsp"
)

// RequestTimeout bounds one RTSP exchange.
const RequestTimeout = 5 * time.Second

// vendorRoutes are main-stream paths per vendor (Cameradar routes, nmap
// rtsp-urls.txt, retina captures, vendors' documents).
var vendorRoutes = map[string][]string{
	"hikvision": {"/Streaming/Channels/101", "/Streaming/Channels/1"},
	"dahua":     {"/cam/realmonitor?channel=1&subtype=0"},
	"axis":      {"/axis-media/media.amp"},
	"reolink":   {"/h264Preview_01_main"},
	"foscam":    {"/videoMain"},
	"xiongmai":  {"/user=admin_password=_channel=1_stream=0.sdp"},
	"uniview":   {"/media/video1"},
	"hanwha":    {"/profile2/media.smp"},
	"tp-link":   {"/stream1"},
	"vivotek":   {"/live.sdp"},
	"sony":      {"/media/video1"},
}

// commonRoutes follow the vendor's routes (Cameradar and nmap's most
// frequent entries).
var commonRoutes = []string{"/", "/live.sdp", "/stream1", "/media/video1", "/h264Preview_01_main",
	"/Streaming/Channels/101", "/cam/realmonitor?channel=1&subtype=0", "/videoMain", "/11", "/live/ch00_0"}

var platforms = map[string]string{"amcrest": "dahua", "lorex": "dahua", "hanwha vision": "hanwha"}

// Routes returns the DESCRIBE paths for vendor: its own, then common ones,
// without duplicates.
func Routes(vendor string) []string {
	v := strings.ToLower(vendor)
	if p, ok := platforms[v]; ok {
		v = p
	}
	seen := map[string]bool{}
	var out []string
	for _, r := range append(append([]string{}, vendorRoutes[v]...), commonRoutes...) {
		if !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	return out
}

// Method logs in with DESCRIBE on Route.
type Method struct {
	Route string // path with query; "" is the first of Routes("")
	// NoCredRoutes are tried by NoCredential; nil means Routes("").
	NoCredRoutes []string
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

// NoCredential sends DESCRIBE without credentials on each route until one
// answers 200 with an SDP (Success, SDP as evidence). A random route that
// also answers 200 makes the result Unverifiable.
func (m *Method) NoCredential(ctx context.Context, d probe.Dialer, t probe.Target) (login.Outcome, error) {
	cl := &rtsp.Client{Dialer: d, Addr: t.Address()}
	defer cl.Close()
	routes := m.NoCredRoutes
	if routes == nil {
		routes = Routes("")
	}
	out := login.Outcome{Result: login.Failure}
	for _, r := range routes {
		resp, err := m.describe(ctx, cl, t, r, "")
		if err != nil {
			return login.Errored(r, "rtsp describe "+r, err)
		}
		if resp.StatusCode == 401 {
			out.Route = r
			out.Scheme, _ = digest.Pick(resp.Header.Values("Www-Authenticate"))
			return out, nil
		}
		if resp.StatusCode != 200 || !strings.Contains(string(resp.Body), "m=") {
			continue
		}
		ctrl, err := m.describe(ctx, cl, t, "/camwarden-"+randomHex(6), "")
		if err != nil {
			return login.Errored(r, "rtsp control describe", err)
		}
		out.Route = r
		if ctrl.StatusCode == 200 {
			out.Result = login.Unverifiable
			return out, nil
		}
		out.Result, out.Cleartext = login.Success, true
		out.Evidence, out.EvidenceType = resp.Body, "sdp"
		return out, nil
	}
	return out, nil
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
	scheme, chal := digest.Pick(first.Header.Values("Www-Authenticate"))
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

func basicAuthorization(user, pass string) string {
	return "Basic " + b64(user+":"+pass)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Package foscamcgi tries logins on Foscam's CGIProxy.fcgi, the HTTP API
// of Foscam HD cameras (Foscam IPCamera CGI User Guide): every command
// carries the account in the URL query, usr=U&pwd=P, and answers
// <CGI_Result><result>N</result>...</CGI_Result>, 0 for success and -2 for
// a wrong user name or password. The credentials travel in the URL in
// clear text, so every attempt over plain HTTP is Cleartext.
package foscamcgi

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	nethttp "net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/probe"
	httpprobe "github.com/camwarden/camwarden/internal/probe/http"
)

// Path is the CGI endpoint; Command the read-only command the login asks
// (the device's state: no change is made).
const (
	Path    = "/cgi-bin/CGIProxy.fcgi"
	Command = "getDevState"
)

// Route names the attempt in evidence, without the credential.
const Route = Path + "?cmd=" + Command

// RequestTimeout bounds one request when the caller's context allows more.
const RequestTimeout = 5 * time.Second

// Result codes of the CGI User Guide that the method reads.
const (
	ResultOK         = 0
	ResultFormat     = -1 // CGI request string format error
	ResultBadAccount = -2 // user name or password error
	ResultDenied     = -3 // access denied (also what a locked client sees)
)

// ErrNotCGI is returned for an answer that is not a CGI_Result.
var ErrNotCGI = errors.New("not a foscam CGI_Result")

// maxResult caps the bytes of a CGI_Result the parser reads.
const maxResult = 16 << 10

// ParseResult reads the result code of a CGI_Result document. It uses
// encoding/xml, which resolves no external entities.
func ParseResult(b []byte) (int, error) {
	if len(b) > maxResult {
		b = b[:maxResult]
	}
	var doc struct {
		XMLName xml.Name `xml:"CGI_Result"`
		Result  *string  `xml:"result"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		return 0, fmt.Errorf("%w: %v", ErrNotCGI, err)
	}
	if doc.Result == nil {
		return 0, fmt.Errorf("%w: no result", ErrNotCGI)
	}
	n, err := strconv.Atoi(strings.TrimSpace(*doc.Result))
	if err != nil {
		return 0, fmt.Errorf("%w: result %q", ErrNotCGI, probe.Printable([]byte(*doc.Result), 16))
	}
	return n, nil
}

// Method logs in through CGIProxy.fcgi on one HTTP(S) port.
type Method struct {
	TLS bool
}

// Name returns "foscam-cgi".
func (m *Method) Name() string { return "foscam-cgi" }

// Protocol returns "http": CGIProxy.fcgi is the camera's web login.
func (m *Method) Protocol() string { return "http" }

// ask sends getDevState with the query q and returns the result code.
func (m *Method) ask(ctx context.Context, d probe.Dialer, t probe.Target, q url.Values) (int, error) {
	b, err := m.get(ctx, d, t, Command, q)
	if err != nil {
		return 0, err
	}
	return ParseResult(b)
}

// get sends the read-only command cmd with the query q and returns the
// answer of a 200.
func (m *Method) get(ctx context.Context, d probe.Dialer, t probe.Target, cmd string, q url.Values) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, RequestTimeout)
	defer cancel()
	q.Set("cmd", cmd)
	req, err := nethttp.NewRequestWithContext(ctx, nethttp.MethodGet, httpprobe.BaseURL(t, m.TLS)+Path+"?"+q.Encode(), nil)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	reply, err := httpprobe.Do(httpprobe.NewClient(d, t), req)
	if err != nil {
		return nil, err
	}
	if reply.Resp.StatusCode != nethttp.StatusOK {
		return nil, fmt.Errorf("%w: http status %d", ErrNotCGI, reply.Resp.StatusCode)
	}
	return reply.Body, nil
}

// NoCredential asks getDevState without usr/pwd: Failure (scheme
// "foscam-cgi") when the CGI wants an account, Success when it answers
// the state, Unverifiable when the port does not speak the CGI.
func (m *Method) NoCredential(ctx context.Context, d probe.Dialer, t probe.Target) (login.Outcome, error) {
	out := login.Outcome{Route: Route, Scheme: "foscam-cgi", Cleartext: !m.TLS}
	code, err := m.ask(ctx, d, t, url.Values{})
	if err == nil && code == ResultFormat {
		code = ResultBadAccount // the CGI wants its usr/pwd parameters
	}
	return judge(out, code, err)
}

// Try asks getDevState with c in the query: result 0 is Success, -2
// Failure, -3 Locked (access denied after failures).
func (m *Method) Try(ctx context.Context, d probe.Dialer, t probe.Target, c login.Credential) (login.Outcome, error) {
	out := login.Outcome{Route: Route, Scheme: "foscam-cgi", Cleartext: !m.TLS}
	code, err := m.ask(ctx, d, t, url.Values{"usr": {c.Username}, "pwd": {c.Password}})
	return judge(out, code, err)
}

func judge(out login.Outcome, code int, err error) (login.Outcome, error) {
	switch {
	case errors.Is(err, ErrNotCGI):
		out.Result = login.Unverifiable
		return out, nil
	case err != nil:
		return login.Errored(Route, "foscam cgi", err)
	}
	switch code {
	case ResultOK:
		out.Result = login.Success
	case ResultBadAccount:
		out.Result = login.Failure
	case ResultDenied:
		out.Result, out.Signal = login.Locked, "foscam cgi result -3 (access denied)"
	default:
		out.Result = login.Unverifiable
	}
	return out, nil
}

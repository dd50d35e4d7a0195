package onvifauth

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	nethttp "net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/camwarden/camwarden/internal/probe"
	httpprobe "github.com/camwarden/camwarden/internal/probe/http"
	"github.com/camwarden/camwarden/internal/probe/onvif"
)

// MediaPath is the usual media service path, used when GetCapabilities
// does not name one.
const MediaPath = "/onvif/media_service"

// SOAP actions and bodies of the media checks.
const (
	actionGetCapabilities = "http://www.onvif.org/ver10/device/wsdl/GetCapabilities"
	actionGetProfiles     = "http://www.onvif.org/ver10/media/wsdl/GetProfiles"
	actionGetStreamURI    = "http://www.onvif.org/ver10/media/wsdl/GetStreamUri"
	bodyGetCapabilities   = `<GetCapabilities xmlns="http://www.onvif.org/ver10/device/wsdl"><Category>Media</Category></GetCapabilities>`
	bodyGetProfiles       = `<GetProfiles xmlns="http://www.onvif.org/ver10/media/wsdl"/>`
)

func bodyGetStreamURI(profile string) string {
	var tok bytes.Buffer
	_ = xml.EscapeText(&tok, []byte(profile))
	return `<GetStreamUri xmlns="http://www.onvif.org/ver10/media/wsdl"><StreamSetup><Stream xmlns="http://www.onvif.org/ver10/schema">RTP-Unicast</Stream>` +
		`<Transport xmlns="http://www.onvif.org/ver10/schema"><Protocol>RTSP</Protocol></Transport></StreamSetup><ProfileToken>` + tok.String() + `</ProfileToken></GetStreamUri>`
}

// callPath POSTs one SOAP 1.2 request without a token to path on t.
func callPath(ctx context.Context, d probe.Dialer, t probe.Target, useTLS bool, path, action, body string) (*onvif.Reply, error) {
	env, err := onvif.BuildEnvelope(body, nil)
	if err != nil {
		return nil, err
	}
	req, err := nethttp.NewRequestWithContext(ctx, nethttp.MethodPost, httpprobe.BaseURL(t, useTLS)+path, bytes.NewReader(env))
	if err != nil {
		return nil, fmt.Errorf("onvif request: %w", err)
	}
	req.Header.Set("Content-Type", `application/soap+xml; charset=utf-8; action="`+action+`"`)
	r, err := httpprobe.Do(httpprobe.NewClient(d, t), req)
	if err != nil {
		return nil, err
	}
	return &onvif.Reply{StatusCode: r.Resp.StatusCode, Body: r.Body}, nil
}

// mediaPath asks GetCapabilities (pre-auth in ONVIF Core) for the media
// service's XAddr and keeps only its path: the host it names is never
// dialled (it may be outside the scope). MediaPath when it does not say.
func mediaPath(ctx context.Context, d probe.Dialer, t probe.Target, useTLS bool) string {
	r, err := onvif.Call(ctx, d, t, useTLS, actionGetCapabilities, bodyGetCapabilities, nil)
	if err != nil {
		return MediaPath
	}
	env, err := onvif.ParseEnvelope(r.Body)
	if err != nil || env.Fault != nil {
		return MediaPath
	}
	return XAddrPath(env.Fields["GetCapabilitiesResponse/Capabilities/Media/XAddr"])
}

// XAddrPath returns the path of an XAddr URL, or MediaPath when it has no
// usable absolute path.
func XAddrPath(xaddr string) string {
	u, err := url.Parse(strings.TrimSpace(xaddr))
	if err != nil || !strings.HasPrefix(u.Path, "/") || len(u.Path) > 256 {
		return MediaPath
	}
	return u.Path
}

// ProfileToken returns the token attribute of the first Profiles element
// of a GetProfilesResponse, decoded strictly (no DTD, no external entity).
func ProfileToken(body []byte) (string, error) {
	if _, err := onvif.ParseEnvelope(body); err != nil {
		return "", err
	}
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.Strict = true
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return "", errors.New("onvif GetProfiles: no profile")
		}
		if err != nil {
			return "", fmt.Errorf("onvif GetProfiles: %w", err)
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "Profiles" {
			for _, a := range se.Attr {
				if a.Name.Local == "token" && a.Value != "" && len(a.Value) <= 64 {
					return a.Value, nil
				}
			}
			return "", errors.New("onvif GetProfiles: profile without token")
		}
	}
}

// secretParam matches credentials carried in a stream URI's path or
// query ("user=admin_password=x", "?username=a&pwd=b").
var secretParam = regexp.MustCompile(`(?i)(user(?:name)?|pass(?:word)?|pwd|auth|token)=[^&_;/?]*`)

// RedactURI removes credentials from a stream URI: userinfo and any
// user/password parameter in its path or query. It is capped at 256 bytes.
func RedactURI(raw string) string {
	raw = strings.TrimSpace(raw)
	if len(raw) > 256 {
		raw = raw[:256]
	}
	if u, err := url.Parse(raw); err == nil && u.User != nil {
		u.User = nil
		raw = u.String()
	} else if i := strings.Index(raw, "@"); i >= 0 && strings.Contains(raw[:i], "://") {
		raw = raw[:strings.Index(raw, "://")+3] + raw[i+1:]
	}
	return secretParam.ReplaceAllString(raw, "$1=REDACTED")
}

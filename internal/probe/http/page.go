package http

import (
	"bytes"
	"crypto/x509"
	"html"
	nethttp "net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/camwarden/camwarden/internal/probe"
)

// fieldMax is the longest device string kept in a field.
const fieldMax = 256

// Title returns the first <title> of an HTML page, entity-decoded, with
// whitespace collapsed and trimmed; "" when there is none.
func Title(body []byte) string {
	lower := bytes.ToLower(body)
	i := bytes.Index(lower, []byte("<title"))
	if i < 0 {
		return ""
	}
	j := bytes.IndexByte(lower[i:], '>')
	if j < 0 {
		return ""
	}
	start := i + j + 1
	end := bytes.Index(lower[start:], []byte("</title"))
	if end < 0 {
		return ""
	}
	t := html.UnescapeString(string(body[start : start+end]))
	return probe.Printable([]byte(strings.Join(strings.Fields(t), " ")), fieldMax)
}

// Challenge is a parsed WWW-Authenticate header.
type Challenge struct {
	Scheme string // "Basic", "Digest"...
	Realm  string
}

// ParseChallenge reads the scheme and realm of one WWW-Authenticate value,
// e.g. `Digest realm="DS-2CD2042WD-I", qop="auth"`.
func ParseChallenge(v string) Challenge {
	v = strings.TrimSpace(v)
	scheme, rest, _ := strings.Cut(v, " ")
	c := Challenge{Scheme: scheme}
	for rest != "" {
		var kv string
		kv, rest = nextParam(rest)
		k, val, ok := strings.Cut(kv, "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), "realm") {
			c.Realm = strings.Trim(strings.TrimSpace(val), `"`)
			break
		}
	}
	return c
}

// nextParam splits off one comma-separated auth parameter, honouring quotes.
func nextParam(s string) (param, rest string) {
	inQuote := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			inQuote = !inQuote
		case ',':
			if !inQuote {
				return strings.TrimSpace(s[:i]), s[i+1:]
			}
		}
	}
	return strings.TrimSpace(s), ""
}

// cookieNames returns the distinct Set-Cookie names, comma separated.
func cookieNames(resp *nethttp.Response) string {
	var names []string
	for _, c := range resp.Cookies() {
		if !slices.Contains(names, c.Name) {
			names = append(names, c.Name)
		}
	}
	return probe.Printable([]byte(strings.Join(names, ",")), fieldMax)
}

// recordReply keeps what any reply says about the device: its Server
// header and every authentication challenge, on whatever path it came.
func recordReply(s *probe.Service, r *Reply) {
	h := r.Resp.Header
	s.AppendField(probe.FieldHTTPServer, probe.Printable([]byte(strings.TrimSpace(h.Get("Server"))), fieldMax))
	for _, wa := range h.Values("WWW-Authenticate") {
		s.AppendField(probe.FieldHTTPWWWAuth, probe.Printable([]byte(strings.TrimSpace(wa)), fieldMax))
		s.AppendField(probe.FieldHTTPRealm, probe.Printable([]byte(ParseChallenge(wa).Realm), fieldMax))
	}
}

// recordRoot writes what the root page says into s (recordReply has kept
// its Server header and challenges already).
func recordRoot(s *probe.Service, r *Reply, markers *Markers) {
	h := r.Resp.Header
	s.SetField(probe.FieldHTTPStatus, strconv.Itoa(r.Resp.StatusCode))
	s.SetField(probe.FieldHTTPTitle, Title(r.Body))
	if wa := h.Get("WWW-Authenticate"); wa != "" {
		s.SetField(probe.FieldHTTPAuthScheme, probe.Printable([]byte(ParseChallenge(wa).Scheme), 32))
	}
	s.SetField(probe.FieldHTTPLocation, probe.Printable([]byte(h.Get("Location")), fieldMax))
	s.SetField(probe.FieldHTTPCookies, cookieNames(r.Resp))
	recordPage(s, r, markers)
	if st := r.Resp.TLS; st != nil && len(st.PeerCertificates) > 0 {
		recordCert(s, st.PeerCertificates[0])
	}
}

// recordPage adds the body markers of a page, and its title when the
// service has none yet (the page behind a redirect of the root page).
func recordPage(s *probe.Service, r *Reply, markers *Markers) {
	if s.Fields[probe.FieldHTTPTitle] == "" {
		s.SetField(probe.FieldHTTPTitle, Title(r.Body))
	}
	for _, m := range markers.Find(r.Body) {
		s.AppendField(probe.FieldHTTPBodyHints, m)
	}
}

// recordCert writes the leaf certificate's subject, issuer, expiry and
// whether it signs itself.
func recordCert(s *probe.Service, c *x509.Certificate) {
	s.TLS = true
	s.SetField(probe.FieldTLSSubject, probe.Printable([]byte(c.Subject.String()), fieldMax))
	s.SetField(probe.FieldTLSIssuer, probe.Printable([]byte(c.Issuer.String()), fieldMax))
	self := bytes.Equal(c.RawSubject, c.RawIssuer) && c.CheckSignatureFrom(c) == nil
	s.SetField(probe.FieldTLSSelfSigned, strconv.FormatBool(self))
	s.SetField(probe.FieldTLSNotAfter, c.NotAfter.UTC().Format(time.RFC3339))
}

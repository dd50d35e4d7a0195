// Package digest implements the client side of HTTP Digest access
// authentication (RFC 7616, and RFC 2069 without qop as most RTSP servers
// use it): parsing a challenge from device input and computing the
// Authorization value for MD5, MD5-sess, SHA-256 and SHA-256-sess with
// qop=auth or no qop. github.com/icholy/digest lacks the -sess variants,
// so this small implementation is checked against the RFC 7616 vectors.
package digest

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"strings"
)

// MaxChallenge caps the header text the parser accepts.
const MaxChallenge = 4 << 10

// ErrNotDigest is returned for a challenge of another scheme.
var ErrNotDigest = errors.New("digest: not a digest challenge")

// Challenge is a parsed Digest WWW-Authenticate challenge.
type Challenge struct {
	Realm     string
	Nonce     string
	Opaque    string
	Algorithm string   // upper-case; "" means MD5
	QOP       []string // offered qop values, lower-case
	Stale     bool
	Charset   string
}

// Parse reads one WWW-Authenticate value starting with "Digest".
func Parse(header string) (*Challenge, error) {
	if len(header) > MaxChallenge {
		return nil, fmt.Errorf("digest challenge of %d bytes: too large", len(header))
	}
	h := strings.TrimSpace(header)
	scheme, rest, _ := strings.Cut(h, " ")
	if !strings.EqualFold(scheme, "Digest") {
		return nil, ErrNotDigest
	}
	p, err := Params(rest)
	if err != nil {
		return nil, err
	}
	c := &Challenge{Realm: p["realm"], Nonce: p["nonce"], Opaque: p["opaque"],
		Algorithm: strings.ToUpper(p["algorithm"]), Stale: strings.EqualFold(p["stale"], "true"),
		Charset: p["charset"]}
	for _, q := range strings.Split(p["qop"], ",") {
		if q = strings.ToLower(strings.TrimSpace(q)); q != "" {
			c.QOP = append(c.QOP, q)
		}
	}
	if c.Nonce == "" {
		return nil, errors.New("digest challenge without nonce")
	}
	if _, err := newHash(c.Algorithm); err != nil {
		return nil, err
	}
	return c, nil
}

// Params splits `k="v", k2=v2` auth-params (quoted-string with backslash
// escapes, or token) into a map with lower-case keys; the first of a
// repeated key wins.
func Params(s string) (map[string]string, error) {
	out := map[string]string{}
	for {
		s = strings.TrimLeft(s, " \t,")
		if s == "" {
			return out, nil
		}
		k, rest, ok := strings.Cut(s, "=")
		if !ok {
			return nil, fmt.Errorf("digest param %q without value", probeText(s))
		}
		k = strings.ToLower(strings.TrimSpace(k))
		rest = strings.TrimLeft(rest, " \t")
		var v string
		if strings.HasPrefix(rest, `"`) {
			var sb strings.Builder
			i, closed := 1, false
			for ; i < len(rest); i++ {
				c := rest[i]
				if c == '\\' && i+1 < len(rest) {
					i++
					sb.WriteByte(rest[i])
					continue
				}
				if c == '"' {
					closed = true
					break
				}
				sb.WriteByte(c)
			}
			if !closed {
				return nil, fmt.Errorf("digest param %s: unterminated quote", probeText(k))
			}
			v, rest = sb.String(), rest[i+1:]
		} else {
			v, rest, _ = strings.Cut(rest, ",")
			v = strings.TrimSpace(v)
		}
		if _, dup := out[k]; !dup {
			out[k] = v
		}
		s = rest
	}
}

func probeText(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

func newHash(alg string) (func() hash.Hash, error) {
	switch strings.TrimSuffix(alg, "-SESS") {
	case "", "MD5":
		return md5.New, nil
	case "SHA-256":
		return sha256.New, nil
	default:
		return nil, fmt.Errorf("digest algorithm %q not supported", probeText(alg))
	}
}

// Request is what the client answers a challenge with.
type Request struct {
	Method, URI        string
	Username, Password string
	// CNonce and Count are filled in when empty/zero.
	CNonce string
	Count  int
}

// Authorization returns the Authorization header value answering c.
// qop=auth is used when offered; otherwise the RFC 2069 form.
func (c *Challenge) Authorization(r Request) (string, error) {
	newH, err := newHash(c.Algorithm)
	if err != nil {
		return "", err
	}
	hx := func(s string) string {
		h := newH()
		h.Write([]byte(s))
		return hex.EncodeToString(h.Sum(nil))
	}
	useQOP := false
	for _, q := range c.QOP {
		useQOP = useQOP || q == "auth"
	}
	if len(c.QOP) > 0 && !useQOP {
		return "", fmt.Errorf("digest qop %q not supported", strings.Join(c.QOP, ","))
	}
	if r.CNonce == "" {
		b := make([]byte, 16)
		_, _ = rand.Read(b)
		r.CNonce = hex.EncodeToString(b)
	}
	if r.Count == 0 {
		r.Count = 1
	}
	nc := fmt.Sprintf("%08x", r.Count)
	ha1 := hx(r.Username + ":" + c.Realm + ":" + r.Password)
	if strings.HasSuffix(c.Algorithm, "-SESS") {
		ha1 = hx(ha1 + ":" + c.Nonce + ":" + r.CNonce)
	}
	ha2 := hx(r.Method + ":" + r.URI)
	var resp string
	if useQOP {
		resp = hx(ha1 + ":" + c.Nonce + ":" + nc + ":" + r.CNonce + ":auth:" + ha2)
	} else {
		resp = hx(ha1 + ":" + c.Nonce + ":" + ha2)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `Digest username=%s, realm=%s, nonce=%s, uri=%s`, quote(r.Username), quote(c.Realm), quote(c.Nonce), quote(r.URI))
	if c.Algorithm != "" {
		fmt.Fprintf(&b, ", algorithm=%s", c.Algorithm)
	}
	fmt.Fprintf(&b, ", response=%s", quote(resp))
	if c.Opaque != "" {
		fmt.Fprintf(&b, ", opaque=%s", quote(c.Opaque))
	}
	if useQOP {
		fmt.Fprintf(&b, ", qop=auth, nc=%s, cnonce=%s", nc, quote(r.CNonce))
	}
	return b.String(), nil
}

func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// Pick returns the strongest challenge among WWW-Authenticate values:
// Digest (SHA-256 before MD5) over Basic. It returns the scheme
// ("digest", "basic" or "") and, for digest, the parsed challenge.
func Pick(values []string) (string, *Challenge) {
	var best *Challenge
	basic := false
	for _, v := range values {
		if c, err := Parse(v); err == nil {
			if best == nil || (strings.HasPrefix(c.Algorithm, "SHA-256") && !strings.HasPrefix(best.Algorithm, "SHA-256")) {
				best = c
			}
			continue
		}
		scheme, _, _ := strings.Cut(strings.TrimSpace(v), " ")
		basic = basic || strings.EqualFold(scheme, "Basic")
	}
	switch {
	case best != nil:
		return "digest", best
	case basic:
		return "basic", nil
	}
	return "", nil
}

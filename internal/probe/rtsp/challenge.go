package rtsp

import "strings"

// Caps on WWW-Authenticate input.
const (
	challengeTextMax = 4 << 10 // bytes of one header value parsed
	challengeMax     = 8       // challenges kept over all values
)

// Challenge is one authentication challenge of a WWW-Authenticate header.
type Challenge struct {
	// Scheme is as the device wrote it ("Basic", "Digest", "digest").
	Scheme string
	// Params holds the auth-params with lower-case names; quoted values
	// are unquoted and unescaped. The first of a repeated name wins.
	Params map[string]string
	// Raw is the challenge's own text ("Digest realm=..., nonce=..."),
	// to hand to a digest parser.
	Raw string
}

// Realm returns the challenge's realm ("" when it has none).
func (c Challenge) Realm() string { return c.Params["realm"] }

// ParseChallenges parses WWW-Authenticate values leniently, as real
// cameras send them: several headers, several challenges in one header
// ("Basic realm=x, Digest realm=y, nonce=z"), quoted or unquoted values,
// no space after a comma, commas, brackets and escaped quotes inside a
// quoted realm, an unterminated quote at the end. Values over 4 KiB are cut
// and at most 8 challenges are kept.
func ParseChallenges(values []string) []Challenge {
	var out []Challenge
	for _, v := range values {
		if len(v) > challengeTextMax {
			v = v[:challengeTextMax]
		}
		for _, c := range splitChallenges(v) {
			if len(out) == challengeMax {
				return out
			}
			out = append(out, c)
		}
	}
	return out
}

// splitChallenges walks one header value element by element: an element
// that starts with a bare token (not "name=") opens a new challenge, the
// others are parameters of the current one.
func splitChallenges(v string) []Challenge {
	var out []Challenge
	var elems [][]string // parameter texts of each challenge, for Raw
	for rest := v; ; {
		elem, after, ok := nextElement(rest)
		if !ok {
			break
		}
		rest = after
		name, tail := leadingToken(elem)
		if name != "" && !strings.HasPrefix(strings.TrimLeft(tail, " \t"), "=") {
			out = append(out, Challenge{Scheme: name, Params: map[string]string{}})
			elems = append(elems, nil)
			elem = tail
		}
		elem = strings.TrimSpace(elem)
		if len(out) == 0 || elem == "" {
			continue
		}
		addParam(out[len(out)-1].Params, elem)
		elems[len(out)-1] = append(elems[len(out)-1], elem)
	}
	for i := range out {
		out[i].Raw = strings.TrimSpace(out[i].Scheme + " " + strings.Join(elems[i], ", "))
	}
	return out
}

// nextElement returns the next comma-separated element of s (commas inside
// quotes do not split) and the text after it; ok is false when none is
// left.
func nextElement(s string) (elem, rest string, ok bool) {
	s = strings.TrimLeft(s, " \t,")
	if s == "" {
		return "", "", false
	}
	quoted := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && quoted:
			i++
		case c == '"':
			quoted = !quoted
		case c == ',' && !quoted:
			return s[:i], s[i+1:], true
		}
	}
	return s, "", true
}

// leadingToken splits s into its first token and the rest.
func leadingToken(s string) (tok, rest string) {
	s = strings.TrimLeft(s, " \t")
	i := 0
	for i < len(s) && isTokenChar(s[i]) {
		i++
	}
	return s[:i], s[i:]
}

func isTokenChar(c byte) bool {
	return c > ' ' && c < 0x7f && strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) < 0
}

// addParam parses "name=value" or `name="quoted \"value\""` into p.
func addParam(p map[string]string, elem string) {
	k, v, ok := strings.Cut(elem, "=")
	if !ok {
		return
	}
	k = strings.ToLower(strings.TrimSpace(k))
	if k == "" || !validName(k) {
		return
	}
	if _, dup := p[k]; dup {
		return
	}
	p[k] = unquote(strings.TrimSpace(v))
}

// unquote removes the quotes and backslash escapes of a quoted-string; an
// unterminated quote keeps the text after it.
func unquote(v string) string {
	if !strings.HasPrefix(v, `"`) {
		return v
	}
	var sb strings.Builder
	for i := 1; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '\\' && i+1 < len(v):
			i++
			sb.WriteByte(v[i])
		case c == '"':
			return sb.String()
		default:
			sb.WriteByte(c)
		}
	}
	return sb.String()
}

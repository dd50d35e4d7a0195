package captures

import (
	"bytes"
	"encoding/json"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// message is one captured protocol message: its start line, header lines
// and body, as the capture wrote them.
type message struct {
	start  string
	header []string
	body   []byte
}

// header returns the first value of a header, case-insensitively.
func (m message) get(name string) string {
	for _, h := range m.header {
		k, v, ok := strings.Cut(h, ":")
		if ok && strings.EqualFold(strings.TrimSpace(k), name) {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// encode writes the message with CRLF line ends, the header named cseq
// set to cseqValue (when not ""), Content-Length equal to the body actually
// present (captures may be cut short) and extra headers appended.
func (m message) encode(cseqValue string, extra ...string) []byte {
	var b bytes.Buffer
	b.WriteString(m.start + "\r\n")
	seenCSeq := false
	for _, h := range m.header {
		k, _, _ := strings.Cut(h, ":")
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "content-length":
			continue
		case "cseq":
			if cseqValue != "" {
				h = strings.TrimSpace(k) + ": " + cseqValue
			}
			seenCSeq = true
		}
		b.WriteString(h + "\r\n")
	}
	if !seenCSeq && cseqValue != "" {
		b.WriteString("CSeq: " + cseqValue + "\r\n")
	}
	for _, h := range extra {
		b.WriteString(h + "\r\n")
	}
	if len(m.body) > 0 || strings.HasPrefix(m.start, "HTTP/") {
		b.WriteString("Content-Length: " + strconv.Itoa(len(m.body)) + "\r\n")
	}
	b.WriteString("\r\n")
	b.Write(m.body)
	return b.Bytes()
}

var (
	reStatusLine  = regexp.MustCompile(`^(?:RTSP|HTTP)/1\.[01] \d{3}`)
	reRequestLine = regexp.MustCompile(`^[A-Z_-]+ \S+ (?:RTSP|HTTP)/1\.[01]$`)
)

// splitMessages cuts a capture into its responses. Text before the first
// status line that holds header lines (a paste that starts after the
// status line) becomes a message with start ""; request blocks and lines
// starting with "###" (a capture's own annotations) are dropped. A body is
// taken only when the message announces one with Content-Length.
func splitMessages(b []byte) []message {
	lines := strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n")
	var out []message
	var cur *message
	inBody, skip := false, false
	var body []string
	flush := func() {
		if cur != nil {
			if len(body) > 0 {
				cur.body = []byte(strings.TrimRight(strings.Join(body, "\r\n"), "\r\n") + "\r\n")
			}
			out = append(out, *cur)
		}
		cur, inBody, body = nil, false, nil
	}
	for _, l := range lines {
		switch {
		case reStatusLine.MatchString(l):
			flush()
			cur, skip = &message{start: strings.TrimSpace(l)}, false
		case strings.HasPrefix(l, "###") || reRequestLine.MatchString(strings.TrimSpace(l)):
			flush()
			skip = true
		case skip:
		case cur == nil && strings.Contains(l, ":") && !strings.HasPrefix(l, " "):
			cur = &message{header: []string{strings.TrimSpace(l)}}
		case cur == nil:
		case inBody:
			body = append(body, l)
		case strings.TrimSpace(l) == "":
			if cur.get("Content-Length") == "" {
				flush()
				continue
			}
			inBody = true
		default:
			cur.header = append(cur.header, strings.TrimSpace(l))
		}
	}
	flush()
	return out
}

// crlf turns LF line ends into CRLF (leaving CRLF alone).
func crlf(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")
}

var reTag = regexp.MustCompile(`<(/?)([A-Za-z_][\w:.-]*)[^<>]*?(/?)>`)

// closeXML appends the end tags a cut-short XML excerpt lacks (and drops a
// tag cut in half at the end), so that a well-formed parser reads what the
// excerpt holds. Complete documents come back unchanged.
func closeXML(b []byte) []byte {
	s := string(b)
	if i, j := strings.LastIndex(s, "<"), strings.LastIndex(s, ">"); i > j {
		s = s[:i]
	}
	var stack []string
	for _, m := range reTag.FindAllStringSubmatch(s, -1) {
		switch {
		case m[3] == "/":
		case m[1] == "/":
			for k := len(stack) - 1; k >= 0; k-- {
				if stack[k] == m[2] {
					stack = stack[:k]
					break
				}
			}
		default:
			stack = append(stack, m[2])
		}
	}
	var sb strings.Builder
	sb.WriteString(s)
	for k := len(stack) - 1; k >= 0; k-- {
		sb.WriteString("</" + stack[k] + ">")
	}
	return []byte(sb.String())
}

var reKV = regexp.MustCompile(`['"]?([A-Za-z_]+)['"]?\s*[:=]\s*['"]?([^,'"}\)\n]*)`)

// parsedValues reads key/value pairs as client tools print them: a Python
// dict, a JSON object or "DeviceInfo(key='value', ...)". Keys are
// lower-cased without underscores; the first value of a key wins.
func parsedValues(b []byte) map[string]string {
	out := map[string]string{}
	for _, m := range reKV.FindAllStringSubmatch(string(b), -1) {
		k := strings.ToLower(strings.ReplaceAll(m[1], "_", ""))
		if _, seen := out[k]; !seen {
			out[k] = strings.TrimSpace(m[2])
		}
	}
	return out
}

// haHeaders turns the JSON header dicts Home Assistant logs (one per line)
// into raw header lines, dropping HA's own keys (leading "_").
func haHeaders(line string) []string {
	var m map[string]string
	if json.Unmarshal([]byte(line), &m) != nil {
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		if !strings.HasPrefix(k, "_") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		out = append(out, k+": "+m[k])
	}
	return out
}

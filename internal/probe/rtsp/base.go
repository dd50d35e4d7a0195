package rtsp

import (
	"strings"
)

// baseMax caps the Content-Base text considered.
const baseMax = 1024

// BaseURL returns the URL the answer's description is relative to, as
// "rtsp://host[:port]/path": Content-Base, else Content-Location, else the
// request URL. It is lenient with what cameras send: a Content-Base without
// scheme ("192.168.1.10:554/stream0/"), one that is only a path or relative
// to the request, a masked or non-numeric port ("URL:PORT"), a double
// slash. User information ("admin:pass@") is always removed, so the result
// can go into a report.
func (r *Response) BaseURL(requestURL string) string {
	v := strings.TrimSpace(r.Header.Get("Content-Base"))
	if v == "" {
		v = strings.TrimSpace(r.Header.Get("Content-Location"))
	}
	if len(v) > baseMax {
		v = v[:baseMax]
	}
	reqHost, reqPath := splitRTSPURL(requestURL)
	if v == "" {
		return "rtsp://" + reqHost + reqPath
	}
	scheme, rest, abs := strings.Cut(v, "://")
	switch {
	case abs && validScheme(scheme):
		host, path := splitRTSPURL("rtsp://" + rest)
		return strings.ToLower(scheme) + "://" + host + path
	case strings.HasPrefix(v, "//"):
		host, path := splitRTSPURL("rtsp:" + v)
		return "rtsp://" + host + path
	case strings.HasPrefix(v, "/"):
		return "rtsp://" + reqHost + v
	case looksLikeHost(v):
		host, path := splitRTSPURL("rtsp://" + v)
		return "rtsp://" + host + path
	}
	dir := reqPath
	if i := strings.LastIndexByte(dir, '/'); i >= 0 {
		dir = dir[:i+1]
	}
	return "rtsp://" + reqHost + dir + v
}

// splitRTSPURL splits "rtsp://user@host:port/path?q" into the host:port
// (without user information) and the path with its query ("/" when
// empty). Text without "://" is taken as a path.
func splitRTSPURL(u string) (host, path string) {
	_, rest, ok := strings.Cut(u, "://")
	if !ok {
		return "", ensureSlash(u)
	}
	host, path = rest, "/"
	if i := strings.IndexAny(rest, "/?"); i >= 0 {
		host, path = rest[:i], ensureSlash(rest[i:])
	}
	if i := strings.LastIndexByte(host, '@'); i >= 0 {
		host = host[i+1:]
	}
	return host, path
}

func ensureSlash(p string) string {
	if !strings.HasPrefix(p, "/") {
		return "/" + p
	}
	return p
}

// validScheme reports whether s is a URL scheme such as rtsp or rtsps.
func validScheme(s string) bool {
	if s == "" || len(s) > 16 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if (c < 'a' || c > 'z') && (i == 0 || (s[i] < '0' || s[i] > '9') && s[i] != '+' && s[i] != '-' && s[i] != '.') {
			return false
		}
	}
	return true
}

// looksLikeHost reports whether a schemeless value starts with a host and
// port or a dotted address ("192.168.1.87:1935/", "cam.local/live") rather
// than a relative path ("trackID=1", "stream1/").
func looksLikeHost(v string) bool {
	first, _, _ := strings.Cut(v, "/")
	if first == "" || strings.ContainsAny(first, "=?&") {
		return false
	}
	if h, port, ok := strings.Cut(first, ":"); ok {
		return h != "" && port != "" && strings.Trim(port, "0123456789") == ""
	}
	return strings.Count(first, ".") >= 2 || strings.HasSuffix(first, ".local")
}

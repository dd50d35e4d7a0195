package http

import (
	"net/url"
	"regexp"
	"strings"
)

// hopScan bounds how much of a page is searched for a redirect.
const hopScan = 16 << 10

var (
	reMetaRefresh = regexp.MustCompile(`(?i)<meta[^>]+http-equiv\s*=\s*["']?refresh["']?[^>]*content\s*=\s*["']?\s*\d*\s*;?\s*url\s*=\s*([^"'>\s]+)`)
	reScriptHop   = regexp.MustCompile(`(?i)\b(?:window\.|document\.|top\.|self\.|parent\.)?location(?:\.href)?\s*=\s*["']([^"'<>\s]+)["']|\blocation\.(?:replace|assign)\(\s*["']([^"'<>\s]+)["']`)
)

// NextHop returns the path on base's host that a page sends the browser
// to by a meta refresh or a script assignment to location (the way many
// camera pages lead to their login page), or "" when there is none or it
// leads to another host or scheme.
func NextHop(base *url.URL, body []byte) string {
	if len(body) > hopScan {
		body = body[:hopScan]
	}
	var target string
	if m := reMetaRefresh.FindSubmatch(body); m != nil {
		target = string(m[1])
	} else if m := reScriptHop.FindSubmatch(body); m != nil {
		target = string(m[1]) + string(m[2])
	}
	target = strings.TrimSpace(target)
	if target == "" || strings.HasPrefix(strings.ToLower(target), "javascript:") {
		return ""
	}
	u, err := base.Parse(target)
	if err != nil || u.Host != base.Host || u.Scheme != base.Scheme {
		return ""
	}
	if p := u.RequestURI(); p != base.RequestURI() {
		return p
	}
	return ""
}

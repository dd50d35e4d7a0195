package http

import (
	"net/url"
	"slices"
	"testing"
)

func TestMarkers(t *testing.T) {
	m, err := LoadMarkers()
	if err != nil {
		t.Fatal(err)
	}
	got := m.Find([]byte(`<html><script>location="doc/page/login.asp?_"</script><script src="js/loginEx.js"></script></html>`))
	for _, want := range []string{"doc/page/login.asp", "js/loginEx.js"} {
		if !slices.Contains(got, want) {
			t.Errorf("markers %q lack %q", got, want)
		}
	}
	if got := m.Find([]byte("<html><title>router</title></html>")); len(got) != 0 {
		t.Errorf("markers in a plain page: %q", got)
	}
}

func TestNextHop(t *testing.T) {
	base, _ := url.Parse("http://127.0.0.1:8080/")
	tests := []struct{ body, want string }{
		{`<script>window.location.href = "doc/page/login.asp?_" + (new Date()).getTime();</script>`, "/doc/page/login.asp?_"},
		{`<META HTTP-EQUIV="Refresh" CONTENT="0; URL=/web/index.html">`, "/web/index.html"},
		{`<script>location.replace("login.htm")</script>`, "/login.htm"},
		{`<script>top.location="http://127.0.0.1:8080/cgi-bin/login.cgi"</script>`, "/cgi-bin/login.cgi"},
		{`<meta http-equiv="refresh" content="0; url=http://example.com/">`, ""},
		{`<meta http-equiv="refresh" content="0; url=https://127.0.0.1:8080/">`, ""},
		{`<script>location = "/"</script>`, ""},
		{`<a href="/x">no redirect</a>`, ""},
	}
	for _, tc := range tests {
		if got := NextHop(base, []byte(tc.body)); got != tc.want {
			t.Errorf("NextHop(%q) = %q, want %q", tc.body, got, tc.want)
		}
	}
}

package digest

import (
	"os"
	"strings"
	"testing"
)

func TestAuthorizationRFCVectors(t *testing.T) {
	rfc7616 := `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=%s, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`
	tests := []struct {
		name, challenge, user, pass, cnonce, uri, want string
	}{
		{"rfc7616 md5", strings.Replace(rfc7616, "%s", "MD5", 1), "Mufasa", "Circle of Life",
			"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", "/dir/index.html", `response="8ca523f5e9506fed4657c9700eebdbec"`},
		{"rfc7616 sha-256", strings.Replace(rfc7616, "%s", "SHA-256", 1), "Mufasa", "Circle of Life",
			"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", "/dir/index.html", `response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"`},
		{"rfc2617 md5 qop", `Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"`,
			"Mufasa", "Circle Of Life", "0a4f113b", "/dir/index.html", `response="6629fae49393a05397450978507c4ef1"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse(tc.challenge)
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.Authorization(Request{Method: "GET", URI: tc.uri, Username: tc.user, Password: tc.pass, CNonce: tc.cnonce, Count: 1})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(got, tc.want) || !strings.Contains(got, "nc=00000001") {
				t.Errorf("authorization %q lacks %q", got, tc.want)
			}
		})
	}
}

// TestSessAndNoQOP checks MD5-sess against a value computed by hand from
// RFC 7616 §3.4.2 (HA1 = H(H(user:realm:pass):nonce:cnonce)) and the RFC
// 2069 form most RTSP servers use.
func TestSessAndNoQOP(t *testing.T) {
	tests := []struct {
		name, challenge, want string
	}{
		{"md5-sess", `Digest realm="r", nonce="n", qop="auth", algorithm=MD5-sess`, `response="` + md5s(md5s(md5s("u:r:p")+":n:c")+":n:00000001:c:auth:"+md5s("DESCRIBE:/x")) + `"`},
		{"no qop", `Digest realm="IP Camera(12345)", nonce="1bfd4191d93615ba"`, `response="` + md5s(md5s("u:IP Camera(12345):p")+":1bfd4191d93615ba:"+md5s("DESCRIBE:/x")) + `"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse(tc.challenge)
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.Authorization(Request{Method: "DESCRIBE", URI: "/x", Username: "u", Password: "p", CNonce: "c"})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(got, tc.want) {
				t.Errorf("authorization %q lacks %q", got, tc.want)
			}
			if tc.name == "no qop" && strings.Contains(got, "qop=") {
				t.Errorf("rfc 2069 answer carries qop: %q", got)
			}
		})
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		name, in  string
		wantErr   bool
		realm, nc string
	}{
		{"lighttpd isapi", readFixture(t, "lighttpd-isapi-challenge.txt"), false, "DS-2CD2042WD-I", "6b07a5bd:093af0b1313af2af4d424cf319972dfc"},
		{"gstreamer rtsp", readFixture(t, "gstreamer-rtspserver-challenge.txt"), false, "IP Camera(12345)", "1bfd4191d93615ba"},
		{"escaped quote", `Digest realm="a\"b", nonce="x"`, false, `a"b`, "x"},
		{"basic", `Basic realm="x"`, true, "", ""},
		{"no nonce", `Digest realm="x"`, true, "", ""},
		{"unterminated", `Digest realm="x, nonce=y`, true, "", ""},
		{"unknown algorithm", `Digest realm="x", nonce="y", algorithm=SHA-1024`, true, "", ""},
		{"too large", "Digest realm=\"" + strings.Repeat("a", MaxChallenge) + `", nonce="y"`, true, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse(tc.in)
			if (err != nil) != tc.wantErr {
				t.Fatalf("Parse error = %v, want error %v", err, tc.wantErr)
			}
			if err == nil && (c.Realm != tc.realm || c.Nonce != tc.nc) {
				t.Errorf("Parse = realm %q nonce %q, want %q %q", c.Realm, c.Nonce, tc.realm, tc.nc)
			}
		})
	}
}

func TestPick(t *testing.T) {
	scheme, c := Pick([]string{`Basic realm="IP Camera(12345)"`, readFixture(t, "gstreamer-rtspserver-challenge.txt")})
	if scheme != "digest" || c == nil || c.Realm != "IP Camera(12345)" {
		t.Errorf("Pick = %q %+v, want digest", scheme, c)
	}
	if scheme, _ := Pick([]string{`Basic realm="x"`}); scheme != "basic" {
		t.Errorf("Pick basic = %q", scheme)
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"lighttpd-isapi-challenge.txt", "gstreamer-rtspserver-challenge.txt"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add(`Digest realm="a\"b", nonce="x", qop="auth", algorithm=SHA-256-sess`)
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Parse(s)
		if err != nil {
			return
		}
		if _, err := c.Authorization(Request{Method: "GET", URI: "/", Username: "u", Password: "p"}); err != nil && len(c.QOP) == 0 {
			t.Errorf("parsed challenge without qop cannot be answered: %v", err)
		}
	})
}

func readFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

package onvif

import (
	"bytes"
	"strings"

	"github.com/camwarden/camwarden/internal/login/digest"
)

// needsHTTPDigest reports whether rep is the web server's own refusal
// (401, a Digest challenge, no SOAP envelope in the body) rather than the
// SOAP layer's verdict on a token.
func needsHTTPDigest(rep *Reply) bool {
	if rep == nil || rep.StatusCode != 401 || !isDigest(rep.Challenge) {
		return false
	}
	return !bytes.Contains(rep.Body, []byte("Envelope"))
}

func isDigest(challenge string) bool {
	scheme, _, _ := strings.Cut(strings.TrimSpace(challenge), " ")
	return strings.EqualFold(scheme, "Digest")
}

// digestAuthorization answers a Digest challenge for a POST to path with
// the token's account.
func digestAuthorization(challenge, path string, sec *UsernameToken) (string, error) {
	c, err := digest.Parse(challenge)
	if err != nil {
		return "", err
	}
	return c.Authorization(digest.Request{Method: "POST", URI: path, Username: sec.Username, Password: sec.Password})
}

// isSOAPType reports the SOAP 1.2 content type: a 401 that carries it
// was written by the device's SOAP service, not by a web server guarding
// every path.
func isSOAPType(ct string) bool {
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(ct)), "application/soap+xml")
}

// challengeRealm returns the realm parameter of a Basic or Digest
// challenge, or "".
func challengeRealm(challenge string) string {
	_, params, _ := strings.Cut(strings.TrimSpace(challenge), " ")
	p, err := digest.Params(params)
	if err != nil {
		return ""
	}
	return p["realm"]
}

package store

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"github.com/camwarden/camwarden/internal/report"
)

// Redacted replaces a secret that must not be stored.
const Redacted = "[redacted]"

var (
	// urlPassword matches the password of a URL's user info
	// (rtsp://user:pass@host/...).
	urlPassword = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.-]*://[^:/@\s]*):[^@/\s]*@`)
	// basicAuth matches the credentials of a Basic Authorization header.
	basicAuth = regexp.MustCompile(`(?i)(authorization:\s*basic\s+)\S+`)
)

// secretKey reports whether an evidence or field key names a secret.
func secretKey(k string) bool {
	k = strings.ToLower(k)
	return strings.Contains(k, "password") || strings.Contains(k, "passwd") || strings.Contains(k, "secret")
}

// redactText removes passwords in URLs and Basic credentials from text.
func redactText(s string) string {
	s = urlPassword.ReplaceAllString(s, "${1}:"+Redacted+"@")
	return basicAuth.ReplaceAllString(s, "${1}"+Redacted)
}

func redactMap(m map[string]string) {
	for k, v := range m {
		if secretKey(k) {
			m[k] = Redacted
			continue
		}
		m[k] = redactText(v)
	}
}

// Redact removes secrets from a scan in place, so that a scan made with
// --show-secrets stores nothing of them: evidence and service fields whose
// key names a password or secret are replaced by Redacted, and passwords
// in URLs and Basic Authorization headers are cut out of every evidence
// value, field and trace line.
func Redact(s *report.Scan) {
	for i := range s.Findings {
		redactMap(s.Findings[i].Evidence)
	}
	for i := range s.Devices {
		svcs := s.Devices[i].Services
		for j := range svcs {
			redactMap(svcs[j].Fields)
			for k := range svcs[j].Trace {
				svcs[j].Trace[k].Data = redactText(svcs[j].Trace[k].Data)
			}
		}
	}
}

// Prepare returns the document a store writes for s: a deep copy,
// redacted and normalised, and its JSON (report.WriteJSON's bytes, which
// report.ReadJSON reads back to the same document). s is not changed.
// The copy is normalised once, by report.ReadJSON; redaction touches no
// field the normalisation depends on.
func Prepare(s *report.Scan) (*report.Scan, []byte, error) {
	var b bytes.Buffer
	if err := report.WriteJSON(&b, s); err != nil {
		return nil, nil, fmt.Errorf("copy scan: %w", err)
	}
	cp, err := report.ReadJSON(&b)
	if err != nil {
		return nil, nil, fmt.Errorf("copy scan: %w", err)
	}
	Redact(cp)
	b.Reset()
	if err := report.WriteJSON(&b, cp); err != nil {
		return nil, nil, fmt.Errorf("encode scan: %w", err)
	}
	return cp, b.Bytes(), nil
}

package auth

import (
	"strings"
	"testing"
)

func TestTitles(t *testing.T) {
	tests := []struct {
		find, proto, scheme string
		wantEN, wantJA      string
	}{
		{find: findDefault, proto: "telnet", wantEN: "Telnet accepts a factory default password", wantJA: "Telnet で初期パスワードのままログインできます"},
		{find: findWeak, proto: "ssh", wantEN: "SSH accepts a weak, commonly used password"},
		{find: findDefault, proto: "ftp", wantEN: "FTP accepts a factory default password"},
		{find: findNone, proto: "ftp", wantEN: "FTP allows anonymous login (anyone can log in without a password)"},
		{find: findNone, proto: "rtsp", wantEN: "RTSP answers without a password", wantJA: "RTSP がパスワードなしで応答します"},
		{find: findNone, proto: "onvif", wantEN: "ONVIF answers without a password"},
		{find: findDefault, proto: "http", wantEN: "HTTP accepts a factory default password"},
		{find: findWeak, proto: "snmp", wantEN: "SNMP answers a commonly used, guessable community"},
		{find: findCleartext, proto: "rtsp", scheme: "basic", wantEN: "RTSP uses Basic authentication over plain text: the password can be sniffed"},
		{find: findCleartext, proto: "http", scheme: "query", wantEN: "HTTP login sends the password in the request URL over plain text: it can be sniffed"},
	}
	for _, tc := range tests {
		t.Run(tc.find+" "+tc.proto, func(t *testing.T) {
			got := title(tc.find, tc.proto)
			if tc.find == findCleartext {
				got = cleartextTitle(tc.proto, tc.scheme)
			}
			if got.EN != tc.wantEN || (tc.wantJA != "" && got.JA != tc.wantJA) {
				t.Fatalf("title = %q / %q, want %q / %q", got.EN, got.JA, tc.wantEN, tc.wantJA)
			}
		})
	}
}

// TestTextsComplete: every title and remediation has both languages, and
// a shared title names the protocol in both.
func TestTextsComplete(t *testing.T) {
	for k, tx := range titles {
		if tx.EN == "" || tx.JA == "" {
			t.Errorf("title %v lacks a language: %+v", k, tx)
		}
		if strings.Contains(tx.EN, protocolPlaceholder) != strings.Contains(tx.JA, protocolPlaceholder) {
			t.Errorf("title %v names the protocol in one language only", k)
		}
		if got := title(k.finding, "rtsp"); strings.Contains(got.EN+got.JA, protocolPlaceholder) {
			t.Errorf("title %v keeps its placeholder: %+v", k, got)
		}
	}
	for _, f := range []string{findNone, findDefault, findCleartext, findUnverifiable, findStopped, findAdminOK} {
		if r := remediations[f]; r.EN == "" || r.JA == "" {
			t.Errorf("remediation %q lacks a language: %+v", f, r)
		}
	}
}

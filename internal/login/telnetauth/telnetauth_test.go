package telnetauth

import (
	"context"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/probe/probetest"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		name, text string
		want       Prompt
	}{
		{"busybox shell", fixture(t, "busybox-1.35-after-password-ok.txt"), PromptShell},
		{"busybox refused", fixture(t, "busybox-1.35-after-password-fail.txt"), PromptLogin},
		{"mikrotik shell", "\r\n\r\n  MMM      MMM       KKK\r\n[admin@MikroTik] > ", PromptShell},
		{"mikrotik failed", "\r\nLogin failed, incorrect username or password\r\n\r\n", PromptFailed},
		{"root shell with ansi", "\x1b[0m# ", PromptShell},
		{"password prompt", "Password: ", PromptPassword},
		{"banner only", "Welcome to the camera", PromptNone},
		{"silence", "", PromptNone},
		{"incorrect then hash", "Login incorrect #", PromptFailed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Classify(tc.text); got != tc.want {
				t.Errorf("Classify(%q) = %d, want %d", tc.text, got, tc.want)
			}
		})
	}
}

// fakeTelnet serves one busybox-like login dialogue per connection on
// loopback: user/pass opens a shell, anything else is refused.
func fakeTelnet(t *testing.T, user, pass string, acceptAll bool) probe.Target {
	t.Helper()
	return probetest.Serve(t, func(c net.Conn) {
		buf := make([]byte, 256)
		read := func() (string, error) {
			n, err := c.Read(buf)
			b := buf[:n]
			for len(b) >= 3 && b[0] == 0xff { // drop the client's option refusals
				b = b[3:]
			}
			return strings.TrimSpace(string(b)), err
		}
		c.Write([]byte("\xff\xfd\x01\xff\xfb\x01\r\nIPCAM login: "))
		u, err := read()
		for u == "" && err == nil {
			u, err = read()
		}
		if err != nil {
			return // the client went away at the login prompt
		}
		c.Write([]byte("Password: "))
		p, _ := read()
		if acceptAll || (u == user && p == pass) {
			c.Write([]byte("\r\nBusyBox v1.35.0 built-in shell (ash)\r\n~ $ "))
			return
		}
		c.Write([]byte("\r\nLogin incorrect\r\nIPCAM login: "))
	})
}

func TestTry(t *testing.T) {
	tg := fakeTelnet(t, "root", "vizxv", false)
	tests := []struct {
		name string
		cred login.Credential
		want login.Result
	}{
		{"factory root", login.Credential{Username: "root", Password: "vizxv", Name: "n"}, login.Success},
		{"wrong", login.Credential{Username: "root", Password: "nope", Name: "n"}, login.Failure},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
			defer cancel()
			o, err := Method{}.Try(ctx, &net.Dialer{}, tg, tc.cred)
			if err != nil || o.Result != tc.want || !o.Cleartext {
				t.Errorf("Try = %+v, %v; want %v (cleartext)", o, err, tc.want)
			}
		})
	}
	o, err := Method{}.NoCredential(t.Context(), &net.Dialer{}, tg)
	if err != nil || o.Result != login.Failure {
		t.Errorf("NoCredential = %+v, %v; want failure (login prompt)", o, err)
	}
}

func FuzzClassify(f *testing.F) {
	for _, name := range []string{"busybox-1.35-after-password-ok.txt", "busybox-1.35-after-password-fail.txt"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add("[admin@MikroTik] > ")
	f.Fuzz(func(t *testing.T, s string) {
		p := Classify(s)
		if p == PromptShell && strings.Contains(strings.ToLower(lastLine(s)), "incorrect") {
			t.Errorf("a refusal classified as a shell: %q", s)
		}
	})
}

func fixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

package telnet

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/probe/probetest"
)

// replay writes banner, then reports everything the client sent until it
// closed; when closeAfter is set it closes right after writing.
func replay(banner []byte, closeAfter bool, got chan<- []byte) func(net.Conn) {
	return func(c net.Conn) {
		_, _ = c.Write(banner)
		if closeAfter {
			got <- nil
			return
		}
		b, _ := io.ReadAll(c)
		got <- b
	}
}

// endless writes prefix, reads the client's answer of wantReply bytes
// (reported on got, before a close could reset the connection), then writes
// line forever until the client goes away.
func endless(prefix []byte, wantReply int, line []byte, got chan<- []byte) func(net.Conn) {
	return func(c net.Conn) {
		if _, err := c.Write(prefix); err != nil {
			got <- nil
			return
		}
		b := make([]byte, wantReply)
		_, _ = io.ReadFull(c, b)
		got <- b
		for {
			if _, err := c.Write(line); err != nil {
				return
			}
		}
	}
}

func TestProbe(t *testing.T) {
	busybox := probetest.Fixture(t, "busybox-1.35-telnetd-banner.bin")
	refusals := []byte{0xff, cmdWONT, 1, 0xff, cmdWONT, 31, 0xff, cmdDONT, 1, 0xff, cmdDONT, 3}
	bosch := probetest.Fixture(t, "bosch-autodome800-banner.txt")
	tests := []struct {
		name        string
		handler     func(chan<- []byte) func(net.Conn)
		wantStatus  probe.Status
		wantNoMatch bool
		wantPrompt  string
		wantBanner  string // substring of the banner field
		wantSent    []byte // nil: not checked
	}{
		{name: "busybox telnetd", handler: func(g chan<- []byte) func(net.Conn) { return replay(busybox, false, g) },
			wantStatus: probe.StatusIdentified, wantPrompt: "IPCAM login:", wantBanner: "IPCAM-TEST (busybox telnetd)", wantSent: refusals},
		{name: "hikvision", handler: func(g chan<- []byte) func(net.Conn) {
			return replay(probetest.Fixture(t, "hikvision-ipc-banner.txt"), false, g)
		},
			wantStatus: probe.StatusIdentified, wantPrompt: "192.0.0.64 login:", wantBanner: "192.0.0.64", wantSent: []byte{}},
		{name: "mikrotik", handler: func(g chan<- []byte) func(net.Conn) {
			return replay(probetest.Fixture(t, "mikrotik-6.42.3-banner.txt"), false, g)
		},
			wantStatus: probe.StatusIdentified, wantPrompt: "Login:", wantBanner: "MikroTik v6.42.3 (stable)"},
		{name: "cisco", handler: func(g chan<- []byte) func(net.Conn) {
			return replay(probetest.Fixture(t, "cisco-ios-banner.txt"), false, g)
		},
			wantStatus: probe.StatusIdentified, wantPrompt: "Username:", wantBanner: "User Access Verification"},
		{name: "greeting then silence", handler: func(g chan<- []byte) func(net.Conn) { return replay(bosch, false, g) },
			wantStatus: probe.StatusTimeout, wantBanner: "AutoDome 800 HD"},
		{name: "greeting then close", handler: func(g chan<- []byte) func(net.Conn) { return replay(bosch, true, g) },
			wantNoMatch: true},
		{name: "endless banner without negotiation", handler: func(g chan<- []byte) func(net.Conn) {
			return endless(nil, 0, []byte("IPCAM-TEST (busybox telnetd)\r\n"), g)
		}, wantStatus: probe.StatusTooLarge, wantBanner: "IPCAM-TEST"},
		{name: "endless banner after negotiation", handler: func(g chan<- []byte) func(net.Conn) {
			return endless(busybox[:12], 12, []byte("IPCAM-TEST (busybox telnetd)\r\n"), g)
		}, wantStatus: probe.StatusIdentified, wantBanner: "IPCAM-TEST", wantSent: refusals},
		{name: "silent", handler: func(g chan<- []byte) func(net.Conn) { return replay(nil, false, g) },
			wantStatus: probe.StatusTimeout},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := make(chan []byte, 1)
			tgt := probetest.Serve(t, tc.handler(got))
			start := time.Now()
			s, err := Probe{ReadWindow: 300 * time.Millisecond}.Probe(t.Context(), &net.Dialer{}, tgt)
			if d := time.Since(start); d > 2*time.Second {
				t.Fatalf("probe took %v, over its time cap", d)
			}
			if tc.wantNoMatch {
				if !errors.Is(err, probe.ErrNoMatch) || s != nil {
					t.Fatalf("got %+v, %v; want ErrNoMatch", s, err)
				}
				return
			}
			if s == nil || s.Status != tc.wantStatus {
				t.Fatalf("service %+v (err %v), want status %q", s, err, tc.wantStatus)
			}
			if (err == nil) != (tc.wantStatus == probe.StatusIdentified) {
				t.Fatalf("err = %v with status %q", err, s.Status)
			}
			if p := s.Fields[probe.FieldTelnetPrompt]; p != tc.wantPrompt {
				t.Errorf("prompt %q, want %q", p, tc.wantPrompt)
			}
			if b := s.Fields[probe.FieldTelnetBanner]; !strings.Contains(b, tc.wantBanner) || len(b) > maxField+8 {
				t.Errorf("banner %q does not contain %q (or is over the cap)", b, tc.wantBanner)
			}
			sent := <-got
			if tc.wantSent != nil && !bytes.Equal(sent, tc.wantSent) {
				t.Errorf("client sent % x, want % x", sent, tc.wantSent)
			}
		})
	}
}

// TestSessionLogin drives the dialogue of the busybox login-fail capture
// through the Session API the auth check uses.
func TestSessionLogin(t *testing.T) {
	busybox := probetest.Fixture(t, "busybox-1.35-telnetd-banner.bin")
	lines := make(chan string, 2)
	tgt := probetest.Serve(t, func(c net.Conn) {
		var n negotiator // strips the client's refusals
		readLine := func() string {
			var line []byte
			buf := make([]byte, 64)
			for !bytes.HasSuffix(line, []byte("\r\n")) {
				k, err := c.Read(buf)
				data, _ := n.Feed(buf[:k])
				line = append(line, data...)
				if err != nil {
					break
				}
			}
			return string(line)
		}
		_, _ = c.Write(busybox)
		lines <- readLine()
		_, _ = c.Write([]byte("Password: "))
		lines <- readLine()
		_, _ = c.Write([]byte("\r\nLogin incorrect\r\nIPCAM login: "))
		_, _ = io.Copy(io.Discard, c)
	})
	conn, err := (&net.Dialer{}).DialContext(t.Context(), "tcp", tgt.Address())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close() }()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	s := NewSession(conn)
	steps := []struct {
		send     string
		patterns []string
		want     string
	}{
		{patterns: LoginPrompts, want: "login:"},
		{send: "admin", patterns: []string{"password:"}, want: "password:"},
		{send: "wrong", patterns: append([]string{"login:"}, ShellPrompts...), want: "login:"},
	}
	for i, st := range steps {
		if st.send != "" {
			if err := s.WriteLine(ctx, st.send); err != nil {
				t.Fatalf("step %d: %v", i, err)
			}
			if got := <-lines; got != st.send+"\r\n" {
				t.Fatalf("step %d: server read %q", i, got)
			}
		}
		text, m, err := s.ReadUntil(ctx, st.patterns, MaxBanner)
		if err != nil || m != st.want {
			t.Fatalf("step %d: matched %q, err %v, text %q", i, m, err, text)
		}
		if i == 2 && !bytes.Contains(text, []byte("Login incorrect")) {
			t.Fatalf("want the failure text, got %q", text)
		}
	}
	if !s.SawNegotiation() || s.Negotiation() != "DO 1, DO 31, WILL 1, WILL 3" {
		t.Fatalf("negotiation = %q", s.Negotiation())
	}
}

func TestNegotiator(t *testing.T) {
	tests := []struct {
		name      string
		in        []byte
		wantData  string
		wantReply []byte
	}{
		{name: "busybox opening", in: []byte{0xff, cmdDO, 1, 0xff, cmdWILL, 3, 'o', 'k'}, wantData: "ok", wantReply: []byte{0xff, cmdWONT, 1, 0xff, cmdDONT, 3}},
		{name: "dont and wont need no answer", in: []byte{0xff, cmdDONT, 1, 0xff, cmdWONT, 3, 'x'}, wantData: "x"},
		{name: "subnegotiation dropped", in: []byte{'a', 0xff, cmdSB, 24, 1, 0xff, 0xff, 0xff, cmdSE, 'b'}, wantData: "ab"},
		{name: "escaped 0xff is data", in: []byte{'a', 0xff, 0xff, 'b'}, wantData: "a\xffb"},
		{name: "other commands dropped", in: []byte{0xff, 241, 'n', 0xff, 249}, wantData: "n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var n negotiator
			// Feed byte by byte: commands split across reads must work.
			var data, reply []byte
			for i := range tc.in {
				d, r := n.Feed(tc.in[i : i+1])
				data, reply = append(data, d...), append(reply, r...)
			}
			if string(data) != tc.wantData || !bytes.Equal(reply, tc.wantReply) {
				t.Fatalf("data %q reply % x, want %q % x", data, reply, tc.wantData, tc.wantReply)
			}
		})
	}
}

func TestNegotiatorReplyCap(t *testing.T) {
	var n negotiator
	_, reply := n.Feed(bytes.Repeat([]byte{0xff, cmdDO, 1}, 10000))
	if len(reply) != 3*maxReplies {
		t.Fatalf("sent %d reply bytes, want %d", len(reply), 3*maxReplies)
	}
}

func FuzzNegotiator(f *testing.F) {
	for _, name := range []string{"busybox-1.35-telnetd-banner.bin", "mikrotik-6.42.3-banner.txt", "cisco-ios-banner.txt", "hikvision-ipc-banner.txt"} {
		f.Add(probetest.Fixture(f, name))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var n negotiator
		data, reply := n.Feed(in)
		if len(data) > len(in) || len(reply)%3 != 0 || len(reply) > 3*maxReplies {
			t.Fatalf("data %d reply %d for input %d", len(data), len(reply), len(in))
		}
		for i := 0; i < len(reply); i += 3 {
			if reply[i] != 0xff || (reply[i+1] != cmdWONT && reply[i+1] != cmdDONT) {
				t.Fatalf("reply % x is not a refusal", reply[i:i+3])
			}
		}
		if m := matchPrompt(data, LoginPrompts); m != "" && lastLine(data) == "" {
			t.Fatalf("matched %q with an empty prompt line", m)
		}
	})
}

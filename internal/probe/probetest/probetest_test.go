package probetest

import (
	"bufio"
	"errors"
	"io"
	"net"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
)

func TestServe(t *testing.T) {
	tests := []struct {
		name    string
		handler func(net.Conn)
		send    string
		want    string
	}{
		{"replay speaks first", Replay([]byte("SSH-2.0-OpenSSH_9.2p1\r\n")), "", "SSH-2.0-OpenSSH_9.2p1\r\n"},
		{"handler answers a request", func(c net.Conn) {
			line, _ := bufio.NewReader(c).ReadString('\n')
			_, _ = c.Write([]byte("echo " + line))
		}, "OPTIONS * RTSP/1.0\r\n", "echo OPTIONS * RTSP/1.0\r\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tg := Serve(t, tc.handler)
			if !tg.Addr.IsLoopback() || tg.Transport != "tcp" || tg.Port == 0 {
				t.Fatalf("target %+v, want a tcp port on loopback", tg)
			}
			c, err := net.Dial("tcp", tg.Address())
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = c.Close() }()
			_ = c.SetDeadline(time.Now().Add(5 * time.Second))
			if _, err := io.WriteString(c, tc.send); err != nil {
				t.Fatal(err)
			}
			got, err := bufio.NewReader(c).ReadString('\n')
			if err != nil || got != tc.want {
				t.Fatalf("read %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

// TestServeCleanup: after the test, the listener is closed and a handler
// blocked on its connection has been ended.
func TestServeCleanup(t *testing.T) {
	started, ended := make(chan struct{}), make(chan struct{})
	var addr string
	var client net.Conn
	t.Run("inner", func(t *testing.T) {
		tg := Serve(t, func(c net.Conn) {
			close(started)
			_, _ = io.Copy(io.Discard, c) // waits for a client that never closes
			close(ended)
		})
		addr = tg.Address()
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		client = c // closed only after the inner test and its cleanup
		<-started
	})
	if client != nil {
		defer func() { _ = client.Close() }()
	}
	select {
	case <-ended:
	default:
		t.Fatal("handler still running after the cleanup")
	}
	if c, err := net.Dial("tcp", addr); err == nil {
		_ = c.Close()
		t.Fatal("listener still accepting after the cleanup")
	}
}

func TestServeUDP(t *testing.T) {
	tg := ServeUDP(t, func(req []byte) [][]byte {
		if string(req) == "quiet" {
			return nil
		}
		return [][]byte{[]byte("1:" + string(req)), []byte("2:" + string(req))}
	})
	if !tg.Addr.IsLoopback() || tg.Transport != "udp" {
		t.Fatalf("target %+v", tg)
	}
	c, err := net.Dial("udp", tg.Address())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = c.Close() }()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	for _, msg := range []string{"quiet", "ping"} {
		if _, err := c.Write([]byte(msg)); err != nil {
			t.Fatal(err)
		}
	}
	buf := make([]byte, 64)
	for _, want := range []string{"1:ping", "2:ping"} {
		n, err := c.Read(buf)
		if err != nil || string(buf[:n]) != want {
			t.Fatalf("read %q, %v; want %q", buf[:n], err, want)
		}
	}
}

func TestClosed(t *testing.T) {
	tg := Closed(t, "tcp")
	if _, err := net.Dial("tcp", tg.Address()); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("tcp dial: %v, want connection refused", err)
	}
	tg = Closed(t, "udp")
	c, err := net.Dial("udp", tg.Address())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = c.Close() }()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	_, _ = c.Write([]byte("x"))
	if _, err := c.Read(make([]byte, 1)); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("udp read: %v, want connection refused (ICMP unreachable)", err)
	}
}

func TestURLTarget(t *testing.T) {
	tg := URLTarget(t, "https://127.0.0.1:8443/onvif/device_service")
	if tg.Address() != "127.0.0.1:8443" || tg.Transport != "tcp" {
		t.Fatalf("target %+v", tg)
	}
}

func TestServeSSH(t *testing.T) {
	cfg := &ssh.ServerConfig{ServerVersion: "SSH-2.0-dropbear_2015.67", NoClientAuth: true}
	tg, key := ServeSSH(t, cfg)
	var seen ssh.PublicKey
	client, err := ssh.Dial("tcp", tg.Address(), &ssh.ClientConfig{User: "admin", Timeout: 5 * time.Second,
		HostKeyCallback: func(_ string, _ net.Addr, k ssh.PublicKey) error { seen = k; return nil }})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = client.Close() }()
	if seen == nil || string(seen.Marshal()) != string(key.Marshal()) {
		t.Fatal("client saw another host key than ServeSSH returned")
	}
	if string(client.ServerVersion()) != cfg.ServerVersion {
		t.Fatalf("server version %q", client.ServerVersion())
	}
	if _, err := client.NewSession(); err == nil {
		t.Fatal("a session channel was accepted")
	}
}

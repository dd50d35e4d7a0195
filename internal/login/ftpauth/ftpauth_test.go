package ftpauth

import (
	"bufio"
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/probe/probetest"
)

// transcript returns the server replies of the captured vsftpd dialogue,
// keyed by the client command that preceded each ("" for the greeting).
func transcript(t testing.TB) map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "vsftpd-3.0.3-login-transcript.txt"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	cmd := ""
	for _, l := range strings.Split(string(b), "\n") {
		switch {
		case strings.HasPrefix(l, ">>> "):
			cmd = l[4:]
		case strings.HasPrefix(l, "<<< "):
			if _, seen := out[cmd]; !seen {
				out[cmd] = l[4:] + "\r\n"
			}
		}
	}
	return out
}

func fixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// fakeServer is a vsFTPd-like server on loopback speaking the captured
// replies: anonymous (any password) and user/pass log in, other local
// users are refused. after421 > 0 answers 421 to the PASS that follows
// that many refusals; drop closes the connection instead of refusing.
type fakeServer struct {
	greeting        string
	anonymous       bool
	user, pass      string
	acceptAll, drop bool
	after421        int32
	failures        atomic.Int32
	passes          atomic.Int32
}

func (f *fakeServer) start(t *testing.T) probe.Target {
	t.Helper()
	r := transcript(t)
	r["wrong password"] = fixture(t, "vsftpd-3.0.3-wrong-password.txt")
	return probetest.Serve(t, func(c net.Conn) { f.serve(c, r) })
}

func (f *fakeServer) serve(c net.Conn, r map[string]string) {
	br := bufio.NewReader(c)
	greeting := r[""]
	if f.greeting != "" {
		greeting = f.greeting
	}
	c.Write([]byte(greeting))
	user := ""
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return
		}
		cmd, arg, _ := strings.Cut(strings.TrimRight(line, "\r\n"), " ")
		switch cmd {
		case "USER":
			user = arg
			if (user == "anonymous" || user == "ftp") && f.anonymous || user == f.user || f.acceptAll {
				c.Write([]byte(r["USER anonymous"]))
			} else {
				c.Write([]byte(r["USER admin"])) // 530 This FTP server is anonymous only.
			}
		case "PASS":
			f.passes.Add(1)
			switch {
			case f.acceptAll || (user == "anonymous" || user == "ftp") && f.anonymous || user == f.user && arg == f.pass:
				c.Write([]byte(r["PASS guest@example.com"])) // 230 Login successful.
			case f.drop:
				return
			case f.after421 > 0 && f.failures.Load() >= f.after421:
				c.Write([]byte("421 Service not available, closing control connection.\r\n"))
				return
			default:
				f.failures.Add(1)
				c.Write([]byte(r["wrong password"]))
			}
		case "QUIT":
			c.Write([]byte(r["QUIT"]))
			return
		}
	}
}

func TestMethod(t *testing.T) {
	cred := login.Credential{Username: "admin", Password: "12345", Name: "test default admin"}
	tests := []struct {
		name       string
		srv        *fakeServer
		noCred     bool
		cred       login.Credential
		want       login.Result
		wantStatus probe.Status
		wantSignal string
		wantPasses int32
	}{
		{"anonymous open", &fakeServer{anonymous: true}, true, login.Credential{}, login.Success, "", "", 1},
		{"anonymous closed", &fakeServer{user: "admin", pass: "12345"}, true, login.Credential{}, login.Failure, "", "", 0},
		{"anonymous-only server refuses a local user", &fakeServer{anonymous: true}, false, cred, login.Failure, "", "", 0},
		{"local user accepted", &fakeServer{user: "admin", pass: "12345"}, false, cred, login.Success, "", "", 1},
		{"wrong password refused", &fakeServer{user: "admin", pass: "other"}, false, cred, login.Failure, "", "", 1},
		{"421 after failures", &fakeServer{user: "admin", pass: "other", after421: -1}, false, cred, login.Locked, "", "ftp 421 at login", 1},
		{"connection dropped after PASS", &fakeServer{user: "admin", pass: "other", drop: true}, false, cred, login.Error, probe.StatusRefused, "", 1},
		{"421 greeting", &fakeServer{greeting: "421 Too many connections from your IP.\r\n"}, false, cred, login.Locked, "", "ftp 421 at greeting", 0},
		{"credential with CRLF never sent", &fakeServer{user: "admin", pass: "12345"}, false,
			login.Credential{Username: "admin", Password: "x\r\nDELE y"}, login.Error, probe.StatusError, "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.srv.after421 < 0 {
				tc.srv.after421 = 1
				tc.srv.failures.Store(1)
			}
			tg := tc.srv.start(t)
			var o login.Outcome
			var err error
			if tc.noCred {
				o, err = Method{}.NoCredential(t.Context(), &net.Dialer{}, tg)
			} else {
				o, err = Method{}.Try(t.Context(), &net.Dialer{}, tg, tc.cred)
			}
			if o.Result != tc.want {
				t.Fatalf("result %v (err %v), want %v", o.Result, err, tc.want)
			}
			if (err != nil) != (tc.want == login.Error) {
				t.Errorf("err = %v with result %v", err, o.Result)
			}
			if tc.wantStatus != "" && o.Status != tc.wantStatus {
				t.Errorf("status %q, want %q", o.Status, tc.wantStatus)
			}
			if !strings.HasPrefix(o.Signal, tc.wantSignal) || (tc.wantSignal == "") != (o.Signal == "") {
				t.Errorf("signal %q, want prefix %q", o.Signal, tc.wantSignal)
			}
			if got := tc.srv.passes.Load(); got != tc.wantPasses {
				t.Errorf("server saw %d PASS commands, want %d", got, tc.wantPasses)
			}
			if !o.Cleartext && tc.want != login.Error {
				t.Error("FTP outcome not marked cleartext")
			}
		})
	}
}

func TestTimeout(t *testing.T) {
	tg := probetest.Serve(t, probetest.Replay(nil)) // silent: never greets
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	o, err := Method{}.Try(ctx, &net.Dialer{}, tg, login.Credential{Username: "a", Password: "b"})
	if o.Result != login.Error || o.Status != probe.StatusTimeout || err == nil {
		t.Fatalf("silent server: %v %q %v, want error timeout", o.Result, o.Status, err)
	}
}

func TestReadReply(t *testing.T) {
	r := transcript(t)
	tests := []struct {
		name, in string
		code     int
		lines    int
		err      error
	}{
		{"greeting", r[""], 220, 1, nil},
		{"login ok", r["PASS guest@example.com"], 230, 1, nil},
		{"anonymous only", r["USER admin"], 530, 1, nil},
		{"multi-line FEAT", "211-Features:\r\n EPRT\r\n EPSV\r\n MDTM\r\n PASV\r\n REST STREAM\r\n SIZE\r\n TVFS\r\n211 End\r\n", 211, 9, nil},
		{"bare code", "230\r\n", 230, 1, nil},
		{"not ftp", "HTTP/1.1 400 Bad Request\r\n", 0, 0, ErrMalformed},
		{"endless multi-line", "230-" + strings.Repeat("x\r\n", MaxReply), 230, -1, probe.ErrTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadReply(bufio.NewReader(strings.NewReader(tc.in)))
			if !errors.Is(err, tc.err) {
				t.Fatalf("err %v, want %v", err, tc.err)
			}
			if got.Code != tc.code || (tc.lines >= 0 && len(got.Lines) != tc.lines) {
				t.Errorf("got code %d with %d lines %q, want %d with %d", got.Code, len(got.Lines), got.Lines, tc.code, tc.lines)
			}
		})
	}
}

func FuzzReadReply(f *testing.F) {
	for _, s := range transcript(f) {
		f.Add(s)
	}
	f.Add("211-Features:\r\n EPRT\r\n211 End\r\n")
	f.Add(fixture(f, "vsftpd-3.0.3-wrong-password.txt"))
	f.Fuzz(func(t *testing.T, in string) {
		r, err := ReadReply(bufio.NewReader(strings.NewReader(in)))
		if err == nil && (r.Code < 100 || r.Code > 599 || len(r.Lines) == 0) {
			t.Fatalf("accepted reply with code %d and %d lines", r.Code, len(r.Lines))
		}
		total := 0
		for _, l := range r.Lines {
			total += len(l)
		}
		if total > MaxReply {
			t.Fatalf("read %d bytes of reply text, cap %d", total, MaxReply)
		}
	})
}

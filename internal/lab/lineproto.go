package lab

import (
	"bufio"
	"context"
	"io"
	"net"
	"strings"
	"time"
)

// busyboxNegotiation is what busybox telnetd sends before its banner: IAC DO
// ECHO, IAC DO NAWS, IAC WILL ECHO, IAC WILL SGA (bytes from
// shared/peers/captures/telnet-busybox-raw-banner.txt).
var busyboxNegotiation = []byte{0xff, 0xfd, 0x01, 0xff, 0xfd, 0x1f, 0xff, 0xfb, 0x01, 0xff, 0xfb, 0x03}

// telnetProfile is how a device's telnet login answers.
type telnetProfile struct {
	Port     uint16
	Preamble []byte // negotiation and banner, sent first
	Login    string // login prompt
	Password string // password prompt
	Fail     string // after a wrong password
	Shell    string // after a good one
}

func (t *telnetProfile) protocol() string { return "telnet" }

// busyboxTelnet builds the busybox telnetd dialogue of the capture with the
// device's issue line and hostname.
func busyboxTelnet(issue, host string) *telnetProfile {
	pre := append([]byte{}, busyboxNegotiation...)
	pre = append(pre, "\r\r\n\r\r\n\r"+issue+"\r\r\n\r"...)
	return &telnetProfile{
		Port: 23, Preamble: pre, Login: host + " login: ", Password: "Password: ",
		Fail: "\r\nLogin incorrect\r\n", Shell: "\r\n\r\nBusyBox v1.35.0 built-in shell (ash)\r\n\r\n# ",
	}
}

const (
	lineIdle   = 15 * time.Second
	maxLineLen = 256
)

func serveTelnet(ctx context.Context, c net.Conn, d *device, t *telnetProfile) {
	_ = c.SetDeadline(time.Now().Add(lineIdle))
	br := bufio.NewReaderSize(c, 512)
	if _, err := c.Write(append(append([]byte{}, t.Preamble...), t.Login...)); err != nil {
		return
	}
	for attempt := 0; attempt < 3 && ctx.Err() == nil; attempt++ {
		user, err := readTelnetLine(br)
		if err != nil {
			return
		}
		if _, err := io.WriteString(c, t.Password); err != nil {
			return
		}
		pass, err := readTelnetLine(br)
		if err != nil {
			return
		}
		if d.auth.verify("telnet", user, func(pw string) bool { return pw == pass }) == authOK {
			_, _ = io.WriteString(c, t.Shell)
			_, _ = readTelnetLine(br) // the lab never runs commands
			return
		}
		if _, err := io.WriteString(c, t.Fail+t.Login); err != nil {
			return
		}
	}
}

// readTelnetLine reads one line, dropping IAC option sequences the client
// sends (capped at maxLineLen bytes).
func readTelnetLine(br *bufio.Reader) (string, error) {
	var sb strings.Builder
	for sb.Len() < maxLineLen {
		b, err := br.ReadByte()
		if err != nil {
			return "", err
		}
		switch {
		case b == 0xff: // IAC: skip the command and, for DO/DONT/WILL/WONT, its option
			cmd, err := br.ReadByte()
			if err != nil {
				return "", err
			}
			if cmd >= 0xfb && cmd <= 0xfe {
				if _, err := br.ReadByte(); err != nil {
					return "", err
				}
			}
		case b == '\n':
			return sb.String(), nil
		case b == '\r' || b == 0:
		default:
			sb.WriteByte(b)
		}
	}
	return sb.String(), nil
}

// serveFTP greets with 220 and answers the login commands; it refuses
// every other command, the lab holds no files.
func serveFTP(ctx context.Context, c net.Conn, greeting string) {
	_ = c.SetDeadline(time.Now().Add(lineIdle))
	br := bufio.NewReaderSize(c, 512)
	reply := func(s string) bool { _, err := io.WriteString(c, s+"\r\n"); return err == nil }
	if !reply("220 " + greeting) {
		return
	}
	for ctx.Err() == nil {
		line, err := readTelnetLine(br)
		if err != nil {
			return
		}
		verb, _, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "USER":
			reply("331 Password required")
		case "PASS":
			reply("530 Login incorrect.")
		case "QUIT":
			reply("221 Goodbye.")
			return
		default:
			reply("530 Please login with USER and PASS.")
		}
	}
}

// serveSilent accepts and says nothing, like vendor SDK ports waiting for
// a binary login packet.
func serveSilent(ctx context.Context, c net.Conn) {
	_ = c.SetDeadline(time.Now().Add(30 * time.Second))
	drain(ctx, c)
}

// drain reads and discards (capped per read) until EOF, deadline or cancel.
func drain(ctx context.Context, c net.Conn) {
	stop := context.AfterFunc(ctx, func() { _ = c.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	buf := make([]byte, 512)
	for {
		if _, err := c.Read(buf); err != nil {
			return
		}
	}
}

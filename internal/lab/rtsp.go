package lab

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/textproto"
	"strconv"
	"strings"
	"time"
)

// rtspProfile is how a device's RTSP server answers OPTIONS and DESCRIBE.
type rtspProfile struct {
	Port   uint16
	Server string // Server header; "" sends none (Hikvision, Reolink)
	Public string
	// Auth is "none", "digest" or "basic"; Realm is the challenge's realm.
	Auth  string
	Realm string
	// Routes maps a path (no query) to its SDP file in responses/.
	Routes map[string]string
	// Date adds a Date header, as LIVE555 and GStreamer servers do.
	Date bool
	// CSeqHeader is how the server spells CSeq ("" for "CSeq"; some
	// HiSilicon SDK servers send "Cseq").
	CSeqHeader string
}

const (
	rtspIdle       = 10 * time.Second
	rtspMaxHeaders = 8 << 10
)

func serveRTSP(ctx context.Context, c net.Conn, d *device, p *rtspProfile) {
	br := bufio.NewReaderSize(c, 4096)
	for ctx.Err() == nil {
		_ = c.SetDeadline(time.Now().Add(rtspIdle))
		method, uri, hdr, err := readRTSPRequest(br)
		if err != nil {
			return
		}
		resp := rtspAnswer(d, p, method, uri, hdr)
		if _, err := c.Write([]byte(resp)); err != nil {
			return
		}
	}
}

// readRTSPRequest reads one request head (capped) and skips its body.
func readRTSPRequest(br *bufio.Reader) (method, uri string, hdr textproto.MIMEHeader, err error) {
	tp := textproto.NewReader(bufio.NewReader(&capReader{r: br, left: rtspMaxHeaders}))
	line, err := tp.ReadLine()
	if err != nil {
		return "", "", nil, err
	}
	parts := strings.Fields(line)
	if len(parts) != 3 || !strings.HasPrefix(parts[2], "RTSP/") {
		return "", "", nil, fmt.Errorf("rtsp request line %q", line)
	}
	hdr, err = tp.ReadMIMEHeader()
	if err != nil {
		return "", "", nil, err
	}
	return parts[0], parts[1], hdr, nil
}

// capReader stops after left bytes, so a peer cannot make a request head
// grow without bound. It reads one byte at a time from an already buffered
// reader so nothing past the head is consumed.
type capReader struct {
	r    *bufio.Reader
	left int
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, fmt.Errorf("rtsp request head over %d bytes", rtspMaxHeaders)
	}
	b, err := c.r.ReadByte()
	if err != nil {
		return 0, err
	}
	c.left--
	p[0] = b
	return 1, nil
}

func rtspAnswer(d *device, p *rtspProfile, method, uri string, hdr textproto.MIMEHeader) string {
	cseq := hdr.Get("CSeq")
	head := func(status string) *strings.Builder {
		var b strings.Builder
		name := p.CSeqHeader
		if name == "" {
			name = "CSeq"
		}
		b.WriteString("RTSP/1.0 " + status + "\r\n" + name + ": " + cseq + "\r\n")
		if p.Server != "" {
			b.WriteString("Server: " + p.Server + "\r\n")
		}
		if p.Date {
			b.WriteString("Date: " + time.Now().UTC().Format("Mon, Jan 02 2006 15:04:05 GMT") + "\r\n")
		}
		return &b
	}
	switch method {
	case "OPTIONS":
		b := head("200 OK")
		b.WriteString("Public: " + p.Public + "\r\n\r\n")
		return b.String()
	case "DESCRIBE":
	default:
		return head("405 Method Not Allowed").String() + "\r\n"
	}
	if p.Auth != "none" {
		res := d.auth.checkAuthorization("rtsp", hdr.Get("Authorization"), method, p.Realm, p.Auth)
		if res != authOK {
			b := head("401 Unauthorized")
			if p.Auth == "basic" {
				b.WriteString(`WWW-Authenticate: Basic realm="` + p.Realm + "\"\r\n\r\n")
			} else {
				b.WriteString("WWW-Authenticate: " + d.auth.digestChallenge(p.Realm, false) + "\r\n\r\n")
			}
			return b.String()
		}
	}
	path := rtspPath(uri)
	file, ok := p.Routes[path]
	if !ok {
		return head("404 Not Found").String() + "\r\n"
	}
	sdp := d.render(response(file), nil)
	b := head("200 OK")
	b.WriteString("Content-Type: application/sdp\r\nContent-Base: " + strings.TrimSuffix(uri, "/") + "/\r\n")
	b.WriteString("Content-Length: " + strconv.Itoa(len(sdp)) + "\r\n\r\n" + sdp)
	return b.String()
}

// rtspPath returns the path of an RTSP URL without query, "/" for the root.
func rtspPath(uri string) string {
	rest, ok := strings.CutPrefix(uri, "rtsp://")
	if !ok {
		return uri
	}
	i := strings.IndexByte(rest, '/')
	if i < 0 {
		return "/"
	}
	path, _, _ := strings.Cut(rest[i:], "?")
	if len(path) > 1 {
		path = strings.TrimSuffix(path, "/")
	}
	return path
}

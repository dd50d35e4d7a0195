package lab

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"
)

// Hostile peers for the robustness test. Each gets its own address after
// the last device and is listed in Manifest.Hostile, never in Devices.

// entityBomb is the classic "billion laughs" document: nested internal
// entities that expand to gigabytes in a parser that resolves them.
var entityBomb = func() string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?>` + "\n<!DOCTYPE lolz [\n" + `<!ENTITY lol "lol">` + "\n")
	prev := "lol"
	for i := 1; i <= 9; i++ {
		name := fmt.Sprintf("lol%d", i)
		b.WriteString("<!ENTITY " + name + ` "` + strings.Repeat("&"+prev+";", 10) + `">` + "\n")
		prev = name
	}
	b.WriteString("]>\n<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://www.w3.org/2003/05/soap-envelope\"><SOAP-ENV:Body><tds:GetDeviceInformationResponse xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\"><tds:Manufacturer>&lol9;</tds:Manufacturer></tds:GetDeviceInformationResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>\n")
	return b.String()
}()

// malformedSOAP is a GetDeviceInformation answer cut off mid-element with a
// mismatched close tag.
const malformedSOAP = `<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope"><SOAP-ENV:Body><tds:GetDeviceInformationResponse xmlns:tds="http://www.onvif.org/ver10/device/wsdl"><tds:Manufacturer>Hik</tds:Model></SOAP-ENV:Bod`

type hostilePeer struct {
	name, behaviour string
	port            uint16
	handle          func(ctx context.Context, c net.Conn)
}

func hostilePeers() []hostilePeer {
	return []hostilePeer{
		{"endless-telnet-banner", "telnet banner that never ends", 23, serveEndlessBanner},
		{"huge-http-header", "HTTP reply with a 10 MB header", 80, serveHugeHeader},
		{"silent-rtsp", "accepts and never answers", 554, serveSilent},
		{"onvif-malformed-xml", "ONVIF reply with malformed XML", 80, serveRawHTTP(malformedSOAP)},
		{"onvif-entity-bomb", "ONVIF reply with an XML entity bomb", 80, serveRawHTTP(entityBomb)},
	}
}

func (l *Lab) startHostile(first netip.Addr) error {
	addr := first
	for _, h := range hostilePeers() {
		if err := l.serveTCP(addr, h.port, h.handle); err != nil {
			return err
		}
		l.manifest.Hostile = append(l.manifest.Hostile, HostileSpec{
			Name: h.name, Address: addr.String(), Port: l.port(h.port), Transport: "tcp", Behaviour: h.behaviour,
		})
		addr = addr.Next()
	}
	return nil
}

// serveEndlessBanner sends IAC negotiation then text forever, until the
// client leaves, the lab closes, or a one-minute safety stop.
func serveEndlessBanner(ctx context.Context, c net.Conn) {
	_ = c.SetDeadline(time.Now().Add(time.Minute))
	if _, err := c.Write(busyboxNegotiation); err != nil {
		return
	}
	line := bytes.Repeat([]byte("Welcome to the camera "), 40)
	for ctx.Err() == nil {
		if _, err := c.Write(line); err != nil {
			return
		}
	}
}

// serveHugeHeader waits for a request head and answers with a 10 MB header.
func serveHugeHeader(ctx context.Context, c net.Conn) {
	_ = c.SetDeadline(time.Now().Add(time.Minute))
	if !readHead(c) {
		return
	}
	if _, err := c.Write([]byte("HTTP/1.1 200 OK\r\nServer: App-webs/\r\nX-Padding: ")); err != nil {
		return
	}
	chunk := bytes.Repeat([]byte("A"), 64<<10)
	for sent := 0; sent < 10<<20 && ctx.Err() == nil; sent += len(chunk) {
		if _, err := c.Write(chunk); err != nil {
			return
		}
	}
	_, _ = c.Write([]byte("\r\nContent-Length: 0\r\n\r\n"))
}

// serveRawHTTP answers any request with a SOAP 200 carrying body.
func serveRawHTTP(body string) func(ctx context.Context, c net.Conn) {
	return func(ctx context.Context, c net.Conn) {
		_ = c.SetDeadline(time.Now().Add(10 * time.Second))
		if !readHead(c) {
			return
		}
		_, _ = fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", soapType, len(body), body)
	}
}

// readHead reads until the end of a request head (capped at 64 KiB); any
// body is left unread.
func readHead(c net.Conn) bool {
	var got []byte
	buf := make([]byte, 1024)
	for len(got) < 64<<10 {
		n, err := c.Read(buf)
		got = append(got, buf[:n]...)
		if bytes.Contains(got, []byte("\r\n\r\n")) {
			return true
		}
		if err != nil {
			return false
		}
	}
	return false
}

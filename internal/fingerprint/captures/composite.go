package captures

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/engine"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/probe/probetest"
	"github.com/camwarden/camwarden/internal/scope"
)

// Composite is one real device that several entries of devices.json
// describe (their source says so: the same host, the same report). The
// composite test serves all their replies together, on one address, and
// scans it with camwarden's engine.
type Composite struct {
	ID       string   `json:"id"`
	Devices  []string `json:"devices"`
	Vendor   string   `json:"vendor,omitempty"`
	Type     string   `json:"type,omitempty"`
	Model    string   `json:"model,omitempty"`
	Firmware string   `json:"firmware,omitempty"`
	Note     string   `json:"note,omitempty"`
}

// Truth is the composite as a Device for scoring: its truth (a
// one-member composite's is its member's) and the replies of its members,
// login-only members left out unless withLogin.
func (c Composite) Truth(members []Device, withLogin bool) Device {
	d := Device{ID: c.ID, Vendor: c.Vendor, Type: c.Type, Model: c.Model, Firmware: c.Firmware}
	if len(members) == 1 && c.Vendor == "" {
		m := members[0]
		d.Vendor, d.Type, d.Model, d.Firmware = m.Vendor, m.Type, m.Model, m.Firmware
	}
	for _, m := range members {
		if m.Login && !withLogin {
			continue
		}
		d.Login = d.Login || m.Login
		d.Replies = append(d.Replies, m.Replies...)
	}
	return d
}

// Ports on which the fakes of a scanned device are reached, and the usual
// port each stands for (engine.Config.PortHints): the fakes listen on
// ephemeral loopback ports, the scan treats them as 80, 554, 161, 1900, 23.
const (
	portHTTP   = 80
	portRTSP   = 554
	portSNMP   = 161
	portSSDP   = 1900
	portTelnet = 23
	// portUPnPWeb stands for the port of a UPnP description: the scan
	// sweeps it like any open port and asks HTTP first.
	portUPnPWeb = 8080
)

// ScanDevice serves the replies of d from fakes on 127.0.0.1 (closed when
// t ends) and scans that address with engine.Scan, identifying with
// identify. WS-Discovery replies are not served: discovery is multicast.
func ScanDevice(ctx context.Context, t testing.TB, dir string, d Device,
	identify func(netip.Addr, string, []probe.Service) device.Device) (device.Device, error) {
	read := func(r Reply) ([]byte, error) { return readFile(dir, r) }
	byProto := map[string][]Reply{}
	for _, r := range d.Replies {
		byProto[protocolOf(r.Kind)] = append(byProto[protocolOf(r.Kind)], r)
	}
	cfg := engine.Config{PortHints: map[uint16]uint16{}, Rate: -1, ProbeTimeout: 3 * time.Second,
		Dialer: &dialer{}, Identify: identify, Workers: 4}
	add := func(tg probe.Target, usual uint16) {
		if tg.Transport == "udp" {
			cfg.UDPPorts = append(cfg.UDPPorts, tg.Port)
		} else {
			cfg.Ports = append(cfg.Ports, tg.Port)
		}
		cfg.PortHints[tg.Port] = usual
	}
	if hr, or := byProto["http"], byProto["onvif"]; len(hr)+len(or) > 0 {
		f, err := newWebFake(hr, or, read)
		if err != nil {
			return device.Device{}, err
		}
		add(probetest.Serve(t, f.serve), portHTTP)
	}
	if rr := byProto["rtsp"]; len(rr) > 0 {
		// With the login-only replies, the device is served as if it had
		// no password: its 200 DESCRIBE, not its 401.
		f, err := rtspFakeOf(rr, read, d.Login)
		if err != nil {
			return device.Device{}, err
		}
		add(probetest.Serve(t, f.serve), portRTSP)
	}
	if ur := byProto["upnp"]; len(ur) > 0 {
		tg, web, err := serveUPnP(t, ur, read)
		if err != nil {
			return device.Device{}, err
		}
		add(tg, portSSDP)
		add(web, portUPnPWeb)
	}
	if sr := byProto["snmp"]; len(sr) > 0 {
		b, err := read(sr[0])
		if err != nil {
			return device.Device{}, err
		}
		add(probetest.ServeUDP(t, newSNMPAgent(b).answer), portSNMP)
	}
	if tr := byProto["telnet"]; len(tr) > 0 {
		b, err := read(tr[0])
		if err != nil {
			return device.Device{}, err
		}
		add(probetest.Serve(t, probetest.Replay(telnetText(b))), portTelnet)
	}
	if len(cfg.Ports)+len(cfg.UDPPorts) == 0 {
		return device.Device{}, fmt.Errorf("%s: no reply a scan can reach", d.ID)
	}
	sc, err := scope.Parse(ctx, []string{Addr.String()}, scope.Options{})
	if err != nil {
		return device.Device{}, err
	}
	cfg.Scope = sc
	res, err := engine.Scan(ctx, cfg)
	if err != nil {
		return device.Device{}, fmt.Errorf("%s: scan: %w", d.ID, err)
	}
	if len(res.Devices) != 1 {
		return device.Device{}, fmt.Errorf("%s: scan found %d devices", d.ID, len(res.Devices))
	}
	return res.Devices[0], nil
}

// webFake is one device's web server: its captured HTTP replies (paths,
// or one reply on every path) and, when a GetDeviceInformation answer was
// captured, its ONVIF device service, as one port answers both.
type webFake struct {
	http  *httpFake
	onvif *onvifFake
}

func newWebFake(httpReplies, onvifReplies []Reply, read reader) (*webFake, error) {
	f := &webFake{http: &httpFake{paths: map[string]message{}}}
	for _, r := range httpReplies {
		b, err := read(r)
		if err != nil {
			return nil, err
		}
		if err := f.http.add(r, b); err != nil {
			return nil, err
		}
	}
	if len(onvifReplies) > 0 {
		b, err := read(onvifReplies[0])
		if err != nil {
			return nil, err
		}
		info, err := onvifInfo(onvifReplies[0], b)
		if err != nil {
			return nil, err
		}
		f.onvif = &onvifFake{info: info}
	}
	return f, nil
}

func (f *webFake) serve(c net.Conn) {
	req, err := http.ReadRequest(bufio.NewReader(c))
	if err != nil {
		return
	}
	body, _ := io.ReadAll(io.LimitReader(req.Body, 64<<10))
	_ = req.Body.Close()
	if f.onvif != nil && req.Method == http.MethodPost && req.URL.Path == "/onvif/device_service" && bytes.Contains(body, []byte("Envelope")) {
		_, _ = c.Write(f.onvif.answer(string(body)).encode("", "Connection: close"))
		return
	}
	_, _ = c.Write(f.http.answer(req).encode("", "Connection: close"))
}

// Members returns the devices of c, in its order.
func (c *Corpus) Members(comp Composite) ([]Device, error) {
	var out []Device
	for _, id := range comp.Devices {
		i := slices.IndexFunc(c.Devices, func(d Device) bool { return d.ID == id })
		if i < 0 {
			return nil, fmt.Errorf("composite %s: no device %q", comp.ID, id)
		}
		out = append(out, c.Devices[i])
	}
	return out, nil
}

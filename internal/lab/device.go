package lab

import (
	"context"
	"embed"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"
)

//go:embed responses
var responseFS embed.FS

// response returns an embedded response file; a missing file is a bug in
// the device table and panics at Start (covered by the tests).
func response(name string) string {
	b, err := responseFS.ReadFile("responses/" + name)
	if err != nil {
		panic(fmt.Sprintf("lab: missing response %s: %v", name, err))
	}
	return string(b)
}

// deviceDef describes one simulated device: identity, accounts and how
// each of its protocols answers. Services in the manifest are derived from
// it, so the manifest always equals what is served.
type deviceDef struct {
	Name, Type, Vendor, Model, Firmware string
	// BuildDate (YYYY-MM-DD) is the build date the device shows without
	// credentials; it fills the BUILD template variable.
	BuildDate                  string
	Serial, Hardware, Hostname string
	Users                      map[string]string
	Lock                       lockPolicy
	HTTP                       []httpProfile
	RTSP                       *rtspProfile
	Telnet                     *telnetProfile
	SSH                        string // version line, without CRLF
	FTP                        string // greeting after "220 "
	SNMP                       *snmpProfile
	SSDP                       *ssdpProfile
	SDK                        []sdkPort
	Planted                    map[string]string
	Provenance                 Provenance
	// Extra holds more template variables (BUILD, MAC, TITLE...).
	Extra map[string]string
}

// sdkPort is a vendor SDK port that accepts connections and stays silent.
type sdkPort struct {
	Port     uint16
	Protocol string
}

// device is a running deviceDef.
type device struct {
	def  deviceDef
	addr netip.Addr
	auth *authModel
	vars map[string]string
	igd  igdActions // SOAP actions asked of a router (igd.go)
	// port is the port the lab serves a standard port on (Options.Unprivileged).
	port func(uint16) uint16
}

func (l *Lab) startDevice(def deviceDef, addr netip.Addr) error {
	def = plantPortmap(plantExposure(def), l.port)
	d := &device{def: def, addr: addr, auth: newAuthModel(def.Users, def.Lock, newSecret()), port: l.port}
	d.vars = map[string]string{
		"VENDOR": def.Vendor, "MODEL": def.Model, "FIRMWARE": def.Firmware,
		"SERIAL": def.Serial, "HARDWARE": def.Hardware, "ADDR": addr.String(),
		"HOSTNAME": def.Hostname,
	}
	for k, v := range def.Extra {
		d.vars[k] = v
	}
	if def.BuildDate != "" {
		d.vars["BUILD"] = def.BuildDate
	}
	l.mu.Lock()
	l.auth[addr] = d.auth
	l.devices[addr] = d
	l.mu.Unlock()
	spec := DeviceSpec{
		Name: def.Name, Address: addr.String(), Type: def.Type, Vendor: def.Vendor,
		Model: def.Model, Firmware: def.Firmware, BuildDate: def.BuildDate, Planted: def.Planted,
		Provenance: def.Provenance,
	}
	if spec.Provenance.Kind == "" {
		spec.Provenance = provenance[def.Name]
	}
	if err := l.startServices(d, &spec); err != nil {
		return err
	}
	l.manifest.Devices = append(l.manifest.Devices, spec)
	return nil
}

func (l *Lab) startServices(d *device, spec *DeviceSpec) error {
	add := func(port uint16, transport, proto string) {
		spec.Services = append(spec.Services, ServiceSpec{Port: l.port(port), Transport: transport, Protocol: proto})
	}
	def := d.def
	for i := range def.HTTP {
		h := &def.HTTP[i]
		if err := l.serveHTTP(d, h); err != nil {
			return err
		}
		if h.TLS {
			add(h.Port, "tcp", "https")
		} else {
			add(h.Port, "tcp", "http")
		}
		if h.ONVIF != nil {
			add(h.Port, "tcp", "onvif")
		}
	}
	if r := def.RTSP; r != nil {
		if err := l.serveTCP(d.addr, r.Port, func(ctx context.Context, c net.Conn) { serveRTSP(ctx, c, d, r) }); err != nil {
			return err
		}
		add(r.Port, "tcp", "rtsp")
	}
	if t := def.Telnet; t != nil {
		if err := l.serveTCP(d.addr, t.Port, func(ctx context.Context, c net.Conn) { serveTelnet(ctx, c, d, t) }); err != nil {
			return err
		}
		add(t.Port, "tcp", t.protocol())
	}
	if def.SSH != "" {
		srv, err := newSSHServer(d)
		if err != nil {
			return err
		}
		if err := l.serveTCP(d.addr, 22, srv.serve); err != nil {
			return err
		}
		add(22, "tcp", "ssh")
	}
	if def.FTP != "" {
		if err := l.serveTCP(d.addr, 21, func(ctx context.Context, c net.Conn) { serveFTP(ctx, c, def.FTP) }); err != nil {
			return err
		}
		add(21, "tcp", "ftp")
	}
	for _, s := range def.SDK {
		if err := l.serveTCP(d.addr, s.Port, serveSilent); err != nil {
			return err
		}
		add(s.Port, "tcp", s.Protocol)
	}
	if s := def.SNMP; s != nil {
		if err := l.serveUDP(d.addr, 161, func(req []byte) [][]byte { return answerSNMP(req, s) }); err != nil {
			return err
		}
		add(161, "udp", "snmp")
	}
	if s := def.SSDP; s != nil {
		if err := l.serveUDP(d.addr, 1900, func(req []byte) [][]byte { return answerSSDP(req, d, s) }); err != nil {
			return err
		}
		add(1900, "udp", "upnp")
	}
	sortServices(spec.Services)
	return nil
}

func sortServices(s []ServiceSpec) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && lessService(s[j], s[j-1]); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func lessService(a, b ServiceSpec) bool {
	if a.Port != b.Port {
		return a.Port < b.Port
	}
	if a.Transport != b.Transport {
		return a.Transport < b.Transport
	}
	return a.Protocol < b.Protocol
}

// deviceTime formats the lab clock the way ONVIF's UTCDateTime carries it.
func deviceTimeVars(now time.Time) map[string]string {
	u := now.UTC()
	return map[string]string{
		"YEAR": fmt.Sprint(u.Year()), "MONTH": fmt.Sprint(int(u.Month())), "DAY": fmt.Sprint(u.Day()),
		"HOUR": fmt.Sprint(u.Hour()), "MINUTE": fmt.Sprint(u.Minute()), "SECOND": fmt.Sprint(u.Second()),
	}
}

// render fills a template with the device's variables (and extra ones).
func (d *device) render(tmpl string, extra map[string]string) string {
	if !strings.Contains(tmpl, "{{") {
		return tmpl
	}
	vars := make(map[string]string, len(d.vars)+len(extra))
	for k, v := range d.vars {
		vars[k] = v
	}
	for k, v := range extra {
		vars[k] = v
	}
	return substitute(tmpl, vars)
}

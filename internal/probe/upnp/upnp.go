package upnp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/camwarden/camwarden/internal/probe"
)

const (
	// Protocol is the service protocol name.
	Protocol = "upnp"
	// DefaultWindow is how long answers to the M-SEARCH are collected.
	DefaultWindow = 1500 * time.Millisecond
	// MaxAnswers and MaxAnswerSize cap the SSDP answers read.
	MaxAnswers    = 32
	MaxAnswerSize = 8 << 10
	// MaxDescription caps the description document.
	MaxDescription     = 256 << 10
	descriptionTimeout = 5 * time.Second
	// Source is the Source of the identity claims.
	Source   = "upnp description"
	maxField = 256
)

// Probe discovers one UPnP device by unicast SSDP.
type Probe struct {
	Logger *slog.Logger  // nil means discard
	Window time.Duration // answer collection time; 0 means DefaultWindow
}

// Name returns the protocol name.
func (Probe) Name() string { return Protocol }

// Probe sends MSearch to t (udp) and reads answers for Window (or until
// ctx ends). No valid answer is ErrNoMatch; only invalid answers is
// malformed. When the first LOCATION is on t's own address the description
// is fetched through d and parsed; a failure there keeps the SSDP fields
// and sets the status (malformed, too-large...).
func (p Probe) Probe(ctx context.Context, d probe.Dialer, t probe.Target) (*probe.Service, error) {
	answers, bad, trace, err := p.search(ctx, d, t)
	log := logger(p.Logger)
	log.DebugContext(ctx, "ssdp search", "addr", t.Address(), "answers", len(answers), "invalid", bad, "err", err)
	if err != nil {
		return nil, err
	}
	s := &probe.Service{Port: t.Port, Transport: "udp", Protocol: Protocol, Status: probe.StatusIdentified, Trace: trace}
	if len(answers) == 0 {
		err := fmt.Errorf("upnp search %s: %w: %d invalid answers", t.Address(), ErrMalformed, bad)
		s.Status, s.Error = probe.StatusMalformed, err.Error()
		return s, err
	}
	loc := recordAnswers(s, answers)
	if loc == "" {
		return s, nil
	}
	u, ok := sameHost(loc, t.Addr)
	if !ok {
		s.Trace = append(s.Trace, probe.TraceEntry{Dir: "send", Data: "(nothing sent) description not fetched: LOCATION is not on the target host"})
		return s, nil
	}
	desc, err := p.fetch(ctx, d, t, u, s)
	if err != nil {
		err = fmt.Errorf("upnp description %s: %w", t.Address(), err)
		s.Status, s.Error = descriptionStatus(err), err.Error()
		log.DebugContext(ctx, "upnp description failed", "addr", t.Address(), "err", err)
		return s, err
	}
	recordDescription(s, desc)
	return s, nil
}

// search sends the M-SEARCH and collects the answers.
func (p Probe) search(ctx context.Context, d probe.Dialer, t probe.Target) ([]SearchResponse, int, []probe.TraceEntry, error) {
	conn, err := d.DialContext(ctx, "udp", t.Address())
	if err != nil {
		return nil, 0, nil, fmt.Errorf("upnp dial %s: %w: %w", t.Address(), probe.ErrNoMatch, err)
	}
	defer func() { _ = conn.Close() }()
	window := p.Window
	if window <= 0 {
		window = DefaultWindow
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl)/2 < window {
		// Leave half the time for the description: a caller with a short
		// deadline (a host with no open TCP port gets 1.5 s) would
		// otherwise spend all of it listening.
		window = time.Until(dl) / 2
	}
	wctx, cancel := context.WithTimeout(ctx, window)
	defer cancel()
	stop := probe.ApplyDeadline(wctx, conn, window)
	defer stop()
	trace := []probe.TraceEntry{{Dir: "send", Data: probe.Printable([]byte(MSearch), 512)}}
	if _, err := io.WriteString(conn, MSearch); err != nil {
		return nil, 0, trace, fmt.Errorf("upnp m-search %s: %w: %w", t.Address(), probe.ErrNoMatch, err)
	}
	var answers []SearchResponse
	bad := 0
	buf := make([]byte, MaxAnswerSize+1)
	for len(answers)+bad < MaxAnswers {
		n, err := conn.Read(buf)
		if err != nil {
			break // window over, or ICMP port unreachable: a closed port
		}
		if len(trace) < 4 {
			trace = append(trace, probe.TraceEntry{Dir: "recv", Data: probe.Printable(buf[:min(n, MaxAnswerSize)], 1024)})
		}
		a, perr := ParseSearchResponse(buf[:n])
		if n > MaxAnswerSize || perr != nil {
			bad++
			continue
		}
		answers = append(answers, a)
	}
	if len(answers) == 0 && bad == 0 {
		return nil, 0, trace, fmt.Errorf("upnp m-search %s: %w: no answer (silent or closed udp port)", t.Address(), probe.ErrNoMatch)
	}
	return answers, bad, trace, nil
}

// recordAnswers sets the SSDP fields and returns the first LOCATION.
func recordAnswers(s *probe.Service, answers []SearchResponse) string {
	var sts []string
	var server, loc, usn string
	for _, a := range answers {
		if server == "" {
			server = a.Server
		}
		if usn == "" {
			usn = a.USN
		}
		if loc == "" {
			loc = a.Location
		}
		if a.ST != "" && len(sts) < 16 && !slices.Contains(sts, a.ST) {
			sts = append(sts, a.ST)
		}
	}
	s.SetField(probe.FieldUPnPServer, probe.Printable([]byte(server), maxField))
	s.SetField(probe.FieldUPnPLocation, probe.Printable([]byte(loc), maxField))
	s.SetField(probe.FieldUPnPST, probe.Printable([]byte(strings.Join(sts, ",")), 2048))
	s.SetField(probe.FieldUPnPUSN, probe.Printable([]byte(usn), maxField))
	return loc
}

// sameHost parses an http LOCATION and reports whether its host is the
// literal address addr. Names are not resolved: a name is another host.
func sameHost(loc string, addr netip.Addr) (*url.URL, bool) {
	u, err := url.Parse(loc)
	if err != nil || u.Scheme != "http" || u.User != nil {
		return nil, false
	}
	h, err := netip.ParseAddr(u.Hostname())
	if err != nil || h.Unmap() != addr.Unmap() || h.Zone() != "" {
		return nil, false
	}
	return u, true
}

// fetch GETs the description at u, dialing only t's address, following no
// redirect and reading at most MaxDescription bytes.
func (p Probe) fetch(ctx context.Context, d probe.Dialer, t probe.Target, u *url.URL, s *probe.Service) (Description, error) {
	ctx, cancel := context.WithTimeout(ctx, descriptionTimeout)
	defer cancel()
	client := &http.Client{
		Transport: &http.Transport{
			DialContext:            guardedDial(d, t.Addr),
			DisableKeepAlives:      true,
			MaxResponseHeaderBytes: 16 << 10,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	defer client.CloseIdleConnections()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return Description{}, err
	}
	req.Header.Set("User-Agent", "camwarden/1.0 UPnP/1.1")
	s.Trace = append(s.Trace, probe.TraceEntry{Dir: "send", Data: "GET " + probe.Printable([]byte(u.String()), maxField)})
	resp, err := client.Do(req)
	if err != nil {
		return Description{}, err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return Description{}, fmt.Errorf("%w: status %d", ErrMalformed, resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxDescription+1))
	if err != nil {
		return Description{}, err
	}
	s.Trace = append(s.Trace, probe.TraceEntry{Dir: "recv", Data: probe.Printable(body, 1024)})
	if len(body) > MaxDescription {
		return Description{}, probe.ErrTooLarge
	}
	return ParseDescription(body)
}

// guardedDial dials through d, refusing any address but the target's.
func guardedDial(d probe.Dialer, addr netip.Addr) func(context.Context, string, string) (net.Conn, error) {
	return func(ctx context.Context, network, hostport string) (net.Conn, error) {
		ap, err := netip.ParseAddrPort(hostport)
		if err != nil || ap.Addr().Unmap() != addr.Unmap() {
			return nil, fmt.Errorf("upnp: refusing to dial %q: not the target", hostport)
		}
		return d.DialContext(ctx, "tcp", hostport)
	}
}

// recordDescription sets the description fields (root device first,
// embedded devices for what the root lacks) and the identity claims.
func recordDescription(s *probe.Service, desc Description) {
	root := desc.Device
	get := func(f func(Device) string) string { return probe.Printable([]byte(root.first(f)), maxField) }
	vals := map[string]string{
		probe.FieldUPnPManufacturer: get(func(d Device) string { return d.Manufacturer }),
		probe.FieldUPnPModelName:    get(func(d Device) string { return d.ModelName }),
		probe.FieldUPnPModelNumber:  get(func(d Device) string { return d.ModelNumber }),
		probe.FieldUPnPModelDesc:    get(func(d Device) string { return d.ModelDescription }),
		probe.FieldUPnPSerial:       get(func(d Device) string { return d.SerialNumber }),
		probe.FieldUPnPFriendlyName: get(func(d Device) string { return d.FriendlyName }),
		probe.FieldUPnPDeviceType:   probe.Printable([]byte(strings.TrimSpace(root.DeviceType)), maxField),
		probe.FieldUPnPFirmware:     get(func(d Device) string { return d.FirmwareVersion }),
	}
	for k, v := range vals {
		s.SetField(k, v)
	}
	claim := func(attr, value string, conf float64) {
		if value != "" {
			s.Claims = append(s.Claims, probe.Claim{Attr: attr, Value: value, Source: Source, Confidence: conf})
		}
	}
	claim(probe.AttrVendor, vals[probe.FieldUPnPManufacturer], 0.7)
	claim(probe.AttrModel, descriptionModel(vals[probe.FieldUPnPManufacturer], vals[probe.FieldUPnPModelName], vals[probe.FieldUPnPModelNumber]), 0.7)
	claim(probe.AttrSerial, vals[probe.FieldUPnPSerial], 0.6)
	claim(probe.AttrFirmware, vals[probe.FieldUPnPFirmware], 0.6)
	claim(probe.AttrMAC, probe.Printable([]byte(root.first(func(d Device) string { return d.MACAddress })), 32), 0.6)
	if strings.Contains(root.DeviceType, ":InternetGatewayDevice:") {
		claim(probe.AttrType, "router", 0.6)
	}
}

// descriptionModel picks the model of a description: modelName, unless
// it is a description in words ("Wireless-G ADSL Home Gateway", "MitraStar
// Internet Gateway": no digit) and modelNumber names a product (letters
// and digits: "WAG200G", "DSL-2401HN-T1C-GV"). A description left at
// MiniUPnPd's defaults names no model: its upnpdescstrings.h sets the
// manufacturer to the OS name and modelName to OS name + " router", and
// modelNumber is then the OS version ("FreeBSD router", "2.5.0-RELEASE" on
// pfSense), not a product.
func descriptionModel(manufacturer, name, number string) string {
	if m := strings.TrimSpace(manufacturer); m != "" && strings.EqualFold(strings.TrimSpace(name), m+" router") {
		return ""
	}
	hasDigit := func(s string) bool { return strings.ContainsAny(s, "0123456789") }
	hasLetter := func(s string) bool {
		return strings.IndexFunc(s, func(r rune) bool { return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' }) >= 0
	}
	if name != "" && (hasDigit(name) || !hasDigit(number) || !hasLetter(number)) {
		return name
	}
	return number
}

func descriptionStatus(err error) probe.Status {
	if errors.Is(err, ErrMalformed) {
		return probe.StatusMalformed
	}
	return probe.Classify(err)
}

func logger(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.New(slog.DiscardHandler)
	}
	return l
}

func init() {
	probe.Register(probe.Spec{Probe: Probe{}, Transport: "udp", Ports: []uint16{1900}, Order: 70})
}

// Package igd audits a router's UPnP Internet Gateway Device and NAT-PMP/PCP
// service, read-only: it finds the gateway (SSDP M-SEARCH), reads its
// description, its external address and every port mapping it holds. It
// never adds or deletes a mapping and never sends anything to the external
// address: every connection is made to the gateway's LAN address only.
package igd

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"time"

	"github.com/camwarden/camwarden/internal/probe"
)

// Defaults of Options.
const (
	DefaultWait        = 2 * time.Second
	DefaultTimeout     = 5 * time.Second
	DefaultMaxMappings = 1024
	NATPMPPort         = 5351
	// DefaultDeadline bounds a whole audit: a router that answers each
	// call slowly (4.5 s x 1024 entries is 77 minutes) cannot stall a scan.
	DefaultDeadline = 60 * time.Second
	// DefaultMappingsTime bounds the listing of one gateway's mappings,
	// alongside MaxMappings.
	DefaultMappingsTime = 30 * time.Second
)

// SSDPMulticast is the SSDP group and port (UDA 1.1, section 1.3.2).
var SSDPMulticast = netip.MustParseAddrPort("239.255.255.250:1900")

// ErrNoGateway is returned when no IGD answered and NAT-PMP was not asked.
var ErrNoGateway = errors.New("igd: no internet gateway device answered")

// Options configure Audit. The zero value searches by multicast with the
// operating system's sockets; tests inject ListenPacket and Dialer.
type Options struct {
	// Gateway, when valid, is the only router asked: M-SEARCH goes to it by
	// unicast and answers from any other address are dropped.
	Gateway netip.Addr
	// SSDP is where M-SEARCH is sent when Gateway is not set (default
	// SSDPMulticast). Send multicast only on a network you may audit.
	SSDP netip.AddrPort
	// SSDPPort is the gateway's SSDP port for a unicast search (default 1900).
	SSDPPort uint16
	// NATPMP asks the gateway (Gateway, else each IGD's address) for its
	// external address over NAT-PMP and announces over PCP.
	NATPMP bool
	// NATPMPPort overrides udp/5351 (tests).
	NATPMPPort uint16
	// Wait is how long SSDP answers are collected (default DefaultWait).
	Wait time.Duration
	// Timeout bounds each HTTP/SOAP exchange and the NAT-PMP wait.
	Timeout time.Duration
	// MaxMappings caps the enumeration (default DefaultMaxMappings).
	MaxMappings int
	// MappingsTime caps the enumeration by time (default
	// DefaultMappingsTime): the listing stops, marked incomplete, when
	// it runs longer.
	MappingsTime time.Duration
	// Deadline bounds the whole audit (default DefaultDeadline).
	Deadline time.Duration
	// Dialer opens TCP and UDP connections (nil = net.Dialer).
	Dialer probe.Dialer
	// ListenPacket opens the SSDP socket (nil = net.ListenConfig).
	ListenPacket func(ctx context.Context, network, address string) (net.PacketConn, error)
	// Logger receives debug records (nil = discard).
	Logger *slog.Logger
}

// Mapping is one port mapping a gateway holds.
type Mapping struct {
	Gateway        netip.Addr    `json:"gateway"`          // LAN address of the router holding it
	ExternalIP     netip.Addr    `json:"external_ip"`      // router's external address, when read
	RemoteHost     string        `json:"remote_host"`      // "" = any remote host may connect
	ExternalPort   uint16        `json:"external_port"`    // port published on the external address
	Protocol       string        `json:"protocol"`         // "tcp" or "udp"
	InternalClient netip.Addr    `json:"internal_client"`  // invalid when InternalHost is not an address
	InternalHost   string        `json:"internal_host"`    // as the router stated it
	InternalPort   uint16        `json:"internal_port"`    // port on the internal client
	Enabled        bool          `json:"enabled"`          // NewEnabled
	Description    string        `json:"description"`      // NewPortMappingDescription, printable
	Lease          time.Duration `json:"lease"`            // remaining lease, 0 = permanent
	Source         string        `json:"source,omitempty"` // SOAP action that listed it
}

// NATPMP is what the gateway said on udp/5351.
type NATPMP struct {
	Address    netip.Addr `json:"address"`     // gateway asked
	Speaks     bool       `json:"speaks"`      // a valid NAT-PMP answer came back
	ResultCode uint16     `json:"result_code"` // NAT-PMP result (0 = success)
	ExternalIP netip.Addr `json:"external_ip"` // from opcode 0, when ResultCode is 0
	Epoch      uint32     `json:"epoch"`       // seconds since the mapping table started
	PCP        bool       `json:"pcp"`         // a valid PCP ANNOUNCE answer came back
	PCPResult  uint8      `json:"pcp_result"`  // PCP result code
	Error      string     `json:"error,omitempty"`
}

// Gateway is one internet gateway and what it disclosed.
type Gateway struct {
	Address      netip.Addr `json:"address"` // LAN address that answered SSDP
	Location     string     `json:"location"`
	Server       string     `json:"server"`
	DeviceType   string     `json:"device_type"`
	FriendlyName string     `json:"friendly_name"`
	Manufacturer string     `json:"manufacturer"`
	ModelName    string     `json:"model_name"`
	ServiceType  string     `json:"service_type"` // WANIPConnection/WANPPPConnection used
	ControlURL   string     `json:"control_url"`
	ExternalIP   netip.Addr `json:"external_ip"`         // GetExternalIPAddress
	Mappings     []Mapping  `json:"mappings"`            // every mapping listed
	Truncated    bool       `json:"truncated,omitempty"` // MaxMappings or MappingsTime was reached
	// Complete is set when the mapping table was read to its end (the
	// router said so) without an error: only then does an empty or short
	// list prove anything.
	Complete bool               `json:"complete"`
	NATPMP   *NATPMP            `json:"natpmp,omitempty"`
	Errors   []string           `json:"errors,omitempty"` // what failed, in order
	Trace    []probe.TraceEntry `json:"trace,omitempty"`
}

// Audit finds the internet gateways, reads their external address and
// lists their port mappings. It returns what it learned even when a step
// fails (the failure is kept in Gateway.Errors); the error is non-nil only
// when nothing at all answered.
func Audit(ctx context.Context, opts Options) ([]Gateway, error) {
	opts = opts.withDefaults()
	ctx, cancel := context.WithTimeout(ctx, opts.Deadline)
	defer cancel()
	answers, err := search(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("igd search: %w", err)
	}
	var gws []Gateway
	for _, a := range answers {
		gw := audit(ctx, opts, a)
		gws = append(gws, gw)
	}
	if opts.NATPMP {
		gws = addNATPMP(ctx, opts, gws)
	}
	if len(gws) == 0 {
		return nil, ErrNoGateway
	}
	return gws, nil
}

// audit reads one gateway's description, external address and mappings.
func audit(ctx context.Context, opts Options, a answer) Gateway {
	gw := Gateway{Address: a.from, Location: a.Location, Server: a.Server}
	fail := func(step string, err error) {
		gw.Errors = append(gw.Errors, fmt.Sprintf("%s: %v", step, err))
		opts.Logger.DebugContext(ctx, "igd step failed", "gateway", a.from, "step", step, "err", err)
	}
	c := newClient(opts, a.from)
	defer c.close()
	desc, err := c.description(ctx, a.Location)
	gw.Trace = append(gw.Trace, c.trace...)
	c.trace = nil
	if err != nil {
		fail("description", err)
		return gw
	}
	gw.DeviceType, gw.FriendlyName = desc.Device.DeviceType, desc.Device.FriendlyName
	gw.Manufacturer, gw.ModelName = desc.Device.Manufacturer, desc.Device.ModelName
	svc, ok := desc.connectionService()
	if !ok {
		fail("description", errors.New("no WANIPConnection or WANPPPConnection service"))
		return gw
	}
	ctl, err := controlURL(a.Location, svc.ControlURL, a.from)
	if err != nil {
		fail("control url", err)
		return gw
	}
	gw.ServiceType, gw.ControlURL = svc.ServiceType, ctl.String()
	conn := &connection{client: c, url: *ctl, service: svc.ServiceType}
	if ip, err := conn.externalIP(ctx); err != nil {
		fail("GetExternalIPAddress", err)
	} else {
		gw.ExternalIP = ip
		c.forbid(ip)
	}
	maps, truncated, err := conn.mappings(ctx, opts.MaxMappings, opts.MappingsTime)
	if err != nil {
		fail("port mappings", err)
	}
	gw.Complete = err == nil && !truncated
	for i := range maps {
		maps[i].Gateway, maps[i].ExternalIP = a.from, gw.ExternalIP
	}
	gw.Mappings, gw.Truncated = maps, truncated
	gw.Trace = append(gw.Trace, c.trace...)
	return gw
}

func (o Options) withDefaults() Options {
	if o.Wait <= 0 {
		o.Wait = DefaultWait
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxMappings <= 0 {
		o.MaxMappings = DefaultMaxMappings
	}
	if o.MappingsTime <= 0 {
		o.MappingsTime = DefaultMappingsTime
	}
	if o.Deadline <= 0 {
		o.Deadline = DefaultDeadline
	}
	if !o.SSDP.IsValid() {
		o.SSDP = SSDPMulticast
	}
	if o.SSDPPort == 0 {
		o.SSDPPort = 1900
	}
	if o.NATPMPPort == 0 {
		o.NATPMPPort = NATPMPPort
	}
	if o.Dialer == nil {
		o.Dialer = &net.Dialer{}
	}
	if o.ListenPacket == nil {
		lc := &net.ListenConfig{}
		o.ListenPacket = lc.ListenPacket
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// Package exposure is checkpoint 3: are functions nobody uses switched
// off, and is nothing reachable that should not be? It reads the services
// identification found on a device and reports each risky one once:
//
//	EXPOSE-TELNET        telnet on any port (23, 2323...)                 high
//	EXPOSE-FTP           FTP server                                       medium
//	EXPOSE-SSH-PASSWORD  SSH that offers password (or keyboard-interactive)
//	                     login, read with a polite "none" request; an SSH
//	                     server that accepts "none" is critical            medium
//	EXPOSE-SNMP-V1V2     SNMP answered a v1/v2c community                 medium
//	EXPOSE-UPNP          SSDP answering on the camera itself (not on a
//	                     router, whose IGD is the port-mapping check's)   low
//	EXPOSE-ONVIF-NOAUTH  ONVIF GetDeviceInformation answered without
//	                     WS-Security credentials                          medium
//	EXPOSE-HTTP-NO-TLS   web admin over plain HTTP and no HTTPS on the
//	                     device (UPnP description ports are not admin);
//	                     said, but info: on a home or office LAN it is
//	                     the norm and must not fail checkpoint 3 on
//	                     every device (password risks are checkpoint 1's) info
//	EXPOSE-TLS-CERT      HTTPS certificate expired or self-signed         info
//	EXPOSE-VENDOR-SDK    Hikvision 8000, Dahua 37777, XMeye 34567          low
//	EXPOSE-DEBUG-PORT    XMeye debug port 9527                            high
//	EXPOSE-CLOUD-P2P     vendor cloud/P2P access reported enabled, read
//	                     without credentials (see cloud.go)               low
//
// Dedupe rule: one finding per ID per device. When the same risk shows on
// several ports (HTTP on 80 and 8080, SDK on 8000 and 37777), Port is the
// lowest and Evidence["ports"] lists them all ("80/tcp,8080/tcp").
//
// Only services with Status identified count: a port whose protocol was
// not recognised proves nothing about the risk. The SDK probes record an
// open port without sending a byte, so an SDK port counts only when the
// device's vendor is unknown or built on that SDK's platform (the
// fingerprint catalogue's platform: Amcrest -> Dahua, HiWatch ->
// Hikvision): port 8000 of a Reolink is its ONVIF server, not Hikvision's
// SDK.
package exposure

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	fpcatalog "github.com/camwarden/camwarden/internal/catalog/fingerprint"
	"github.com/camwarden/camwarden/internal/check"
	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/probe"
)

// Finding IDs.
const (
	IDTelnet      = "EXPOSE-TELNET"
	IDFTP         = "EXPOSE-FTP"
	IDSSHPassword = "EXPOSE-SSH-PASSWORD"
	IDSNMP        = "EXPOSE-SNMP-V1V2"
	IDUPnP        = "EXPOSE-UPNP"
	IDONVIFNoAuth = "EXPOSE-ONVIF-NOAUTH"
	IDHTTPNoTLS   = "EXPOSE-HTTP-NO-TLS"
	IDTLSCert     = "EXPOSE-TLS-CERT"
	IDVendorSDK   = "EXPOSE-VENDOR-SDK"
	IDDebugPort   = "EXPOSE-DEBUG-PORT"
	IDCloudP2P    = "EXPOSE-CLOUD-P2P"
)

// defaultTimeout bounds each active read (SSH auth methods, cloud status)
// when the caller's context has no earlier deadline.
const defaultTimeout = 8 * time.Second

// Checker is the exposure check. Its zero value is not usable; build it
// with New.
type Checker struct {
	timeout time.Duration
	vendors *fpcatalog.Catalog // nil when the catalogue failed to load
}

// New returns the exposure checker for check.Run. It reads vendor
// platforms from the embedded fingerprint catalogue; should that fail to
// load (a build defect its own tests catch), brands are taken as their
// own platform.
func New() check.Checker {
	cat, err := fpcatalog.Load()
	if err != nil {
		cat = nil
	}
	return &Checker{timeout: defaultTimeout, vendors: cat}
}

// platform returns the lower-case maker whose platform vendor resells,
// or vendor itself.
func (c *Checker) platform(vendor string) string {
	if c.vendors != nil {
		vendor = c.vendors.Platform(vendor)
	}
	return strings.ToLower(vendor)
}

// Name implements check.Checker.
func (c *Checker) Name() string { return "exposure" }

// Check implements check.Checker: the findings of the services already
// identified, plus two polite active reads through env.Dialer (SSH auth
// methods, vendor cloud status). Without a dialer only the passive
// findings are produced.
func (c *Checker) Check(ctx context.Context, env *check.Env, d *device.Device) []finding.Finding {
	if d == nil {
		return nil
	}
	now := time.Now()
	if env != nil && env.Now != nil {
		now = env.Now()
	}
	fs := newFindings(d, c.platform(d.Vendor()))
	passive(fs, d, now)
	if env != nil && env.Dialer != nil {
		c.sshPassword(ctx, env, fs, d)
		c.cloud(ctx, env, fs, d)
	} else if env != nil && env.Logger != nil {
		env.Logger.DebugContext(ctx, "exposure: no dialer, active reads skipped", "address", d.Address)
	}
	return fs.list()
}

// findings collects at most one finding per ID for one device.
type findings struct {
	d        *device.Device
	platform string // lower-case maker of the device's platform, "" if unknown
	byID     map[string]*finding.Finding
	ports    map[string][]string
	order    []string
}

func newFindings(d *device.Device, platform string) *findings {
	return &findings{d: d, platform: platform, byID: map[string]*finding.Finding{}, ports: map[string][]string{}}
}

// add records id on s; the first service of an ID gives severity, protocol
// and evidence, later ones add their port to Evidence["ports"].
func (f *findings) add(id string, sev finding.Severity, s *probe.Service, evidence map[string]string) {
	port := ""
	if s != nil {
		port = fmt.Sprintf("%d/%s", s.Port, s.Transport)
	}
	if old, ok := f.byID[id]; ok {
		if s != nil && !slices.Contains(f.ports[id], port) {
			f.ports[id] = append(f.ports[id], port)
			if s.Port < old.Port {
				old.Port = s.Port
			}
		}
		return
	}
	t := texts[id]
	nf := &finding.Finding{
		ID: id, Checkpoint: finding.CheckExposure, Severity: sev, Address: f.d.Address,
		Title: t.title, Remediation: remediation(id, f.d.Vendor(), f.platform), Evidence: map[string]string{},
	}
	if s != nil {
		nf.Port, nf.Protocol = s.Port, s.Protocol
		f.ports[id] = []string{port}
	}
	for k, v := range evidence {
		if v != "" {
			nf.Evidence[k] = v
		}
	}
	f.byID[id] = nf
	f.order = append(f.order, id)
}

// raise lifts the severity of an already recorded finding.
func (f *findings) raise(id string, sev finding.Severity) {
	if old, ok := f.byID[id]; ok && sev > old.Severity {
		old.Severity = sev
	}
}

// list returns the findings, worst first, then by ID.
func (f *findings) list() []finding.Finding {
	out := make([]finding.Finding, 0, len(f.order))
	for _, id := range f.order {
		nf := *f.byID[id]
		if p := f.ports[id]; len(p) > 0 {
			slices.SortFunc(p, comparePorts)
			nf.Evidence["ports"] = strings.Join(p, ",")
		}
		out = append(out, nf)
	}
	slices.SortStableFunc(out, func(a, b finding.Finding) int {
		return cmp.Or(cmp.Compare(b.Severity, a.Severity), cmp.Compare(a.ID, b.ID))
	})
	return out
}

func comparePorts(a, b string) int {
	var pa, pb int
	_, _ = fmt.Sscanf(a, "%d", &pa)
	_, _ = fmt.Sscanf(b, "%d", &pb)
	return cmp.Or(cmp.Compare(pa, pb), cmp.Compare(a, b))
}

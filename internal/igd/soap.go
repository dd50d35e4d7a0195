package igd

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/huin/goupnp/soap"

	"github.com/camwarden/camwarden/internal/probe"
)

// ReadOnlyActions are the only SOAP actions camwarden ever sends: it reads
// the gateway's state and never changes it (no AddPortMapping, no
// DeletePortMapping, no SetConnectionType...).
var ReadOnlyActions = []string{"GetExternalIPAddress", "GetGenericPortMappingEntry", "GetListOfPortMappings"}

// UPnP error codes that end an enumeration.
const (
	errArrayIndexInvalid  = 713 // SpecifiedArrayIndexInvalid: past the last entry
	errNoSuchEntry        = 714 // NoSuchEntryInArray: some stacks say this instead
	errPortMappingMissing = 730 // PortMappingNotFound: GetListOfPortMappings, empty range
	maxField              = 256
)

// ErrNotReadOnly is returned when code asks for an action outside
// ReadOnlyActions.
var ErrNotReadOnly = errors.New("igd: action is not read-only")

// connection is the gateway's WAN connection service.
type connection struct {
	client  *client
	url     url.URL
	service string
}

// call performs one read-only SOAP action through goupnp's SOAP client,
// whose HTTP traffic goes through the gateway-only, capped client.
func (c *connection) call(ctx context.Context, action string, in, out any) error {
	allowed := false
	for _, a := range ReadOnlyActions {
		allowed = allowed || a == action
	}
	if !allowed {
		return fmt.Errorf("%w: %s", ErrNotReadOnly, action)
	}
	ctx, cancel := context.WithTimeout(ctx, c.client.opts.Timeout)
	defer cancel()
	sc := soap.NewSOAPClient(c.url)
	sc.HTTPClient = *c.client.http
	c.client.record("send", fmt.Appendf(nil, "POST %s %s#%s %v", c.url.String(), c.service, action, in))
	if err := sc.PerformActionCtx(ctx, c.service, action, in, out); err != nil {
		return fmt.Errorf("soap %s: %w", action, err)
	}
	return nil
}

// upnpErrorCode returns the UPnPError code of a SOAP fault, or 0.
func upnpErrorCode(err error) int {
	var f *soap.SOAPFaultError
	if errors.As(err, &f) {
		return f.Detail.UPnPError.Errorcode
	}
	return 0
}

// externalIP reads GetExternalIPAddress.
func (c *connection) externalIP(ctx context.Context) (netip.Addr, error) {
	var out struct {
		NewExternalIPAddress string
	}
	if err := c.call(ctx, "GetExternalIPAddress", nil, &out); err != nil {
		return netip.Addr{}, err
	}
	ip, err := netip.ParseAddr(strings.TrimSpace(out.NewExternalIPAddress))
	if err != nil {
		return netip.Addr{}, fmt.Errorf("%w: external address %q", ErrMalformed, probe.Printable([]byte(out.NewExternalIPAddress), maxField))
	}
	return ip.Unmap(), nil
}

// genericEntry is the answer of GetGenericPortMappingEntry.
type genericEntry struct {
	NewRemoteHost             string
	NewExternalPort           string
	NewProtocol               string
	NewInternalPort           string
	NewInternalClient         string
	NewEnabled                string
	NewPortMappingDescription string
	NewLeaseDuration          string
}

// ErrSlow is returned when a listing ran out of time (MappingsTime or the
// audit's deadline) before the router said it was complete.
var ErrSlow = errors.New("igd: router too slow")

// mappings enumerates GetGenericPortMappingEntry until the router says the
// index is past the end (713/714), max entries were read or limit has
// passed; on IGDv2 it adds what GetListOfPortMappings lists and the first
// pass missed. truncated reports that the listing stopped on a cap.
func (c *connection) mappings(ctx context.Context, max int, limit time.Duration) ([]Mapping, bool, error) {
	stop := time.Now().Add(limit)
	slow := func(i int) error {
		return fmt.Errorf("%w: listing stopped after %s with %d entries read (index %d)", ErrSlow, limit, i, i)
	}
	var out []Mapping
	seen := map[string]bool{}
	add := func(m Mapping) {
		if k := m.key(); !seen[k] && len(out) < max {
			seen[k] = true
			out = append(out, m)
		}
	}
	var errs []error
	truncated := true
	for i := 0; i < max; i++ {
		if ctx.Err() != nil {
			return out, true, fmt.Errorf("%w: listing stopped at index %d: %w", ErrSlow, i, ctx.Err())
		}
		if time.Now().After(stop) {
			return out, true, slow(i)
		}
		in := struct{ NewPortMappingIndex string }{strconv.Itoa(i)}
		var e genericEntry
		err := c.call(ctx, "GetGenericPortMappingEntry", &in, &e)
		if code := upnpErrorCode(err); code == errArrayIndexInvalid || code == errNoSuchEntry {
			truncated = false
			break
		}
		if err != nil {
			if ctx.Err() != nil || time.Now().After(stop) {
				return out, true, fmt.Errorf("%w: listing stopped at index %d: %w", ErrSlow, i, err)
			}
			errs = append(errs, fmt.Errorf("index %d: %w", i, err))
			truncated = false
			break
		}
		m, err := e.mapping()
		if err != nil {
			errs = append(errs, fmt.Errorf("index %d: %w", i, err))
			continue
		}
		add(m)
	}
	if IsV2(c.service) && len(out) < max && time.Now().Before(stop) {
		for _, proto := range []string{"TCP", "UDP"} {
			list, err := c.list(ctx, proto, max)
			if err != nil {
				errs = append(errs, err)
			}
			for _, m := range list {
				add(m)
			}
		}
	}
	return out, truncated, errors.Join(errs...)
}

// list calls GetListOfPortMappings for one protocol over every port.
func (c *connection) list(ctx context.Context, proto string, max int) ([]Mapping, error) {
	in := struct {
		NewStartPort, NewEndPort, NewProtocol, NewManage, NewNumberOfPorts string
	}{"0", "65535", proto, "1", strconv.Itoa(max)}
	var out struct{ NewPortListing string }
	err := c.call(ctx, "GetListOfPortMappings", &in, &out)
	if upnpErrorCode(err) == errPortMappingMissing {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return ParsePortListing([]byte(out.NewPortListing), max)
}

func (e genericEntry) mapping() (Mapping, error) {
	return newMapping(e.NewRemoteHost, e.NewExternalPort, e.NewProtocol, e.NewInternalPort,
		e.NewInternalClient, e.NewEnabled, e.NewPortMappingDescription, e.NewLeaseDuration, "GetGenericPortMappingEntry")
}

// newMapping validates the strings a router sent for one mapping.
func newMapping(remote, extPort, proto, intPort, client, enabled, desc, lease, source string) (Mapping, error) {
	ext, err1 := parsePort(extPort)
	internal, err2 := parsePort(intPort)
	if err := errors.Join(err1, err2); err != nil {
		return Mapping{}, err
	}
	m := Mapping{
		RemoteHost:   probe.Printable([]byte(strings.TrimSpace(remote)), maxField),
		ExternalPort: ext,
		Protocol:     strings.ToLower(probe.Printable([]byte(strings.TrimSpace(proto)), 8)),
		InternalHost: probe.Printable([]byte(strings.TrimSpace(client)), maxField),
		InternalPort: internal,
		Enabled:      strings.TrimSpace(enabled) != "0",
		Description:  probe.Printable([]byte(strings.TrimSpace(desc)), maxField),
		Source:       source,
	}
	if a, err := netip.ParseAddr(m.InternalHost); err == nil {
		m.InternalClient = a.Unmap()
	}
	if s, err := strconv.ParseUint(strings.TrimSpace(lease), 10, 32); err == nil {
		m.Lease = time.Duration(s) * time.Second
	}
	return m, nil
}

func parsePort(s string) (uint16, error) {
	p, err := strconv.ParseUint(strings.TrimSpace(s), 10, 16)
	if err != nil {
		return 0, fmt.Errorf("%w: port %q", ErrMalformed, probe.Printable([]byte(s), 16))
	}
	return uint16(p), nil
}

func (m Mapping) key() string {
	return m.RemoteHost + "|" + m.Protocol + "|" + strconv.Itoa(int(m.ExternalPort))
}

// listingEntry is one p:PortMappingEntry of an IGDv2 port listing.
type listingEntry struct {
	RemoteHost     string `xml:"NewRemoteHost"`
	ExternalPort   string `xml:"NewExternalPort"`
	Protocol       string `xml:"NewProtocol"`
	InternalPort   string `xml:"NewInternalPort"`
	InternalClient string `xml:"NewInternalClient"`
	Enabled        string `xml:"NewEnabled"`
	Description    string `xml:"NewDescription"`
	LeaseTime      string `xml:"NewLeaseTime"`
}

// ParsePortListing parses the NewPortListing document of
// GetListOfPortMappings (WANIPConnection:2, section 2.5.21), strictly and
// without any DOCTYPE, keeping at most max entries.
func ParsePortListing(b []byte, max int) ([]Mapping, error) {
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = true
	var out []Mapping
	for len(out) < max {
		tok, err := dec.Token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			return out, fmt.Errorf("%w: port listing: %w", ErrMalformed, err)
		}
		switch tok := tok.(type) {
		case xml.Directive:
			return nil, fmt.Errorf("%w: port listing has a directive", ErrMalformed)
		case xml.StartElement:
			if tok.Name.Local != "PortMappingEntry" {
				continue
			}
			var e listingEntry
			if err := dec.DecodeElement(&e, &tok); err != nil {
				return out, fmt.Errorf("%w: port listing entry: %w", ErrMalformed, err)
			}
			m, err := newMapping(e.RemoteHost, e.ExternalPort, e.Protocol, e.InternalPort,
				e.InternalClient, e.Enabled, e.Description, e.LeaseTime, "GetListOfPortMappings")
			if err != nil {
				return out, err
			}
			out = append(out, m)
		}
	}
	return out, nil
}

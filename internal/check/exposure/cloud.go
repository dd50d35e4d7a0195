package exposure

import (
	"bufio"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	nethttp "net/http"
	"strings"

	"github.com/camwarden/camwarden/internal/check"
	"github.com/camwarden/camwarden/internal/device"
	"github.com/camwarden/camwarden/internal/finding"
	"github.com/camwarden/camwarden/internal/probe"
	probehttp "github.com/camwarden/camwarden/internal/probe/http"
)

// Vendor cloud/P2P status, read only when the device answers without
// credentials (a 401 means "not readable", never a finding):
//
//   - Hikvision: GET /ISAPI/System/Network/EZVIZ, the "Platform Access"
//     (Hik-Connect/EZVIZ) setting: <EZVIZ><enabled>true</enabled>
//     <registerStatus>true</registerStatus>... (ISAPI documentation; no
//     capture of this answer exists in shared/data).
//   - Dahua and its OEMs (Amcrest, Lorex): GET
//     /cgi-bin/configManager.cgi?action=getConfig&name=T2UServer, the P2P
//     (Easy4ip/DMSS) setting as "table.T2UServer.Enable=true" lines (Dahua
//     HTTP API format, as magicBox.cgi answers).
const (
	pathEZVIZ    = "/ISAPI/System/Network/EZVIZ"
	pathDahuaP2P = "/cgi-bin/configManager.cgi?action=getConfig&name=T2UServer"
	cloudBodyCap = 16 << 10
)

// CloudStatus is what a device said about its cloud/P2P access.
type CloudStatus struct {
	Service    string // "hik-connect", "dahua-p2p"
	Enabled    bool
	Registered string // "true"/"false" when the device says, else ""
}

// ParseEZVIZ parses a Hikvision /ISAPI/System/Network/EZVIZ answer.
func ParseEZVIZ(b []byte) (CloudStatus, error) {
	var doc struct {
		XMLName        xml.Name `xml:"EZVIZ"`
		Enabled        string   `xml:"enabled"`
		RegisterStatus string   `xml:"registerStatus"`
	}
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = true
	dec.Entity = nil // no entities beyond the five predefined ones
	if err := decodeNoDTD(dec, &doc); err != nil {
		return CloudStatus{}, fmt.Errorf("parse ezviz status: %w", err)
	}
	en := strings.TrimSpace(doc.Enabled)
	if en != "true" && en != "false" {
		return CloudStatus{}, fmt.Errorf("parse ezviz status: enabled is %q", probe.Printable([]byte(en), 16))
	}
	return CloudStatus{Service: "hik-connect", Enabled: en == "true", Registered: strings.TrimSpace(doc.RegisterStatus)}, nil
}

// decodeNoDTD decodes v from dec, refusing any DOCTYPE (no external or
// internal entities from a device).
func decodeNoDTD(dec *xml.Decoder, v any) error {
	for {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.Directive:
			return errors.New("DOCTYPE not allowed")
		case xml.StartElement:
			return dec.DecodeElement(v, &t)
		}
	}
}

// ParseDahuaP2P parses a Dahua configManager getConfig&name=T2UServer
// answer ("table.T2UServer.Enable=true").
func ParseDahuaP2P(b []byte) (CloudStatus, error) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 1024), cloudBodyCap)
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), "=")
		if !ok || !strings.EqualFold(k, "table.T2UServer.Enable") {
			continue
		}
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "true":
			return CloudStatus{Service: "dahua-p2p", Enabled: true}, nil
		case "false":
			return CloudStatus{Service: "dahua-p2p"}, nil
		}
	}
	if err := sc.Err(); err != nil {
		return CloudStatus{}, fmt.Errorf("parse dahua p2p status: %w", err)
	}
	return CloudStatus{}, errors.New("parse dahua p2p status: no table.T2UServer.Enable line")
}

// cloud asks a Hikvision or Dahua-family device for its cloud status on
// its web port, once, without credentials.
func (c *Checker) cloud(ctx context.Context, env *check.Env, fs *findings, d *device.Device) {
	path, parse := cloudEndpoint(d, fs.platform)
	if path == "" {
		return
	}
	s := webService(d)
	if s == nil {
		return
	}
	st, err := c.readCloud(ctx, env.Dialer, d, s, path, parse)
	if err != nil {
		if env.Logger != nil {
			env.Logger.DebugContext(ctx, "exposure: cloud status unreadable", "address", d.Address, "path", path, "err", err)
		}
		return
	}
	if !st.Enabled {
		return
	}
	fs.add(IDCloudP2P, finding.SevLow, s, map[string]string{"cloud": st.Service, "registered": st.Registered,
		"request": "GET " + path + " (no credentials)"})
}

// cloudEndpoint picks the status endpoint by the API the device answered
// or, failing that, by its vendor's platform.
func cloudEndpoint(d *device.Device, platform string) (string, func([]byte) (CloudStatus, error)) {
	api := ""
	for i := range d.Services {
		if a := d.Services[i].Fields[probe.FieldHTTPAPI]; a != "" {
			api = a
		}
	}
	switch {
	case api == "isapi" || platform == "hikvision":
		return pathEZVIZ, ParseEZVIZ
	case api == "dahua-cgi" || platform == "dahua":
		return pathDahuaP2P, ParseDahuaP2P
	}
	return "", nil
}

// webService returns the web port to ask: the one whose vendor API
// answered, else the first identified HTTP(S) service.
func webService(d *device.Device) *probe.Service {
	var first *probe.Service
	for i := range d.Services {
		s := &d.Services[i]
		if !isWeb(s) || s.Status != probe.StatusIdentified {
			continue
		}
		if s.Fields[probe.FieldHTTPAPI] != "" {
			return s
		}
		if first == nil {
			first = s
		}
	}
	return first
}

func (c *Checker) readCloud(ctx context.Context, dialer probe.Dialer, d *device.Device, s *probe.Service,
	path string, parse func([]byte) (CloudStatus, error)) (CloudStatus, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	t := probe.Target{Addr: d.Address, Port: s.Port, Transport: "tcp", Hostname: d.Hostname}
	req, err := nethttp.NewRequestWithContext(ctx, nethttp.MethodGet, probehttp.BaseURL(t, s.TLS)+path, nil)
	if err != nil {
		return CloudStatus{}, fmt.Errorf("cloud status request: %w", err)
	}
	r, err := probehttp.Do(probehttp.NewClient(dialer, t), req)
	if err != nil {
		return CloudStatus{}, fmt.Errorf("cloud status %s: %w", t.Address(), err)
	}
	if r.Resp.StatusCode != nethttp.StatusOK {
		return CloudStatus{}, fmt.Errorf("cloud status %s: http %d (not readable without credentials)", t.Address(), r.Resp.StatusCode)
	}
	if len(r.Body) > cloudBodyCap {
		return CloudStatus{}, fmt.Errorf("cloud status %s: %w", t.Address(), probe.ErrTooLarge)
	}
	return parse(r.Body)
}

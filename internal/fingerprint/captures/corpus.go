// Package captures replays the real device captures of shared/data through
// camwarden's own probes, for the generalisation test of the fingerprint
// rules: devices.json says, per device, which captured replies a probe is
// fed and what the capture's source states about the device (vendor; type,
// model and firmware where the capture shows them). Each reply is served by
// an in-process fake on 127.0.0.1 (internal/probe/probetest) and read by
// the real probe, or handed to the real parser where the protocol is
// multicast discovery. Nothing here dials: the probes do, with their own
// dialer, to loopback only.
package captures

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

//go:embed devices.json
var devicesJSON []byte

// Schema names the shape of devices.json.
const Schema = "camwarden.captures/1"

// Reply kinds: how a captured file is served to a probe.
const (
	KindRTSP          = "rtsp"            // RTSP responses, as captured
	KindRTSPSDP       = "rtsp-sdp"        // an SDP body, served as the DESCRIBE 200
	KindRTSPRealm     = "rtsp-realm"      // a realm the client echoed: the 401 is rebuilt with it
	KindRTSPNmap      = "rtsp-nmap"       // nmap fingerprint-strings of an RTSP port
	KindHTTP          = "http"            // an HTTP response served on every path
	KindHTTP401Header = "http-401-header" // WWW-Authenticate lines of a 401, served on every path
	KindHTTP401Body   = "http-401-body"   // the HTML body of a 401, served on every path
	KindHTTPPath      = "http-path"       // a body served 200 on Path only
	KindISAPIJSON     = "isapi-json"      // hikvision_next diagnostics: deviceInfo re-encoded as ISAPI XML
	KindONVIFXML      = "onvif-xml"       // a GetDeviceInformation answer (envelope or body)
	KindONVIFParsed   = "onvif-parsed"    // GetDeviceInformation values as a client tool printed them
	KindSSDP          = "ssdp"            // an M-SEARCH answer or NOTIFY (raw, or Home Assistant's JSON)
	KindUPnPDesc      = "upnp-desc"       // a UPnP device description
	KindSNMPRec       = "snmprec"         // an snmpsim recording
	KindTelnet        = "telnet"          // a telnet session transcript
	KindWSDScopes     = "wsd-scopes"      // WS-Discovery scopes of one device (line Line of the file)
	KindWSDXML        = "wsd-xml"         // a WS-Discovery ProbeMatches envelope
)

var kinds = []string{KindRTSP, KindRTSPSDP, KindRTSPRealm, KindRTSPNmap, KindHTTP, KindHTTP401Header,
	KindHTTP401Body, KindHTTPPath, KindISAPIJSON, KindONVIFXML, KindONVIFParsed, KindSSDP, KindUPnPDesc,
	KindSNMPRec, KindTelnet, KindWSDScopes, KindWSDXML}

// Corpus is devices.json.
type Corpus struct {
	Schema     string      `json:"schema"`
	Devices    []Device    `json:"devices"`
	Composites []Composite `json:"composites"`
	Skipped    []Skip      `json:"skipped"`
}

// Device is one real device and the truth its capture's source states.
// Empty fields are not stated (or not shown by the capture) and not checked.
type Device struct {
	ID       string  `json:"id"`
	Vendor   string  `json:"vendor,omitempty"`
	Type     string  `json:"type,omitempty"`
	Model    string  `json:"model,omitempty"`
	Firmware string  `json:"firmware,omitempty"`
	Login    bool    `json:"login,omitempty"` // the replies need a login (or an open stream)
	Note     string  `json:"note,omitempty"`
	Replies  []Reply `json:"replies"`
}

// Reply is one captured file and how it is served.
type Reply struct {
	Kind string `json:"kind"`
	File string `json:"file"`           // relative to shared/data
	Path string `json:"path,omitempty"` // KindHTTPPath: the request path it answers
	Line int    `json:"line,omitempty"` // KindWSDScopes: 1-based line of the file
}

// Skip is a capture file (or prefix) considered and not replayed.
type Skip struct {
	Files string `json:"files"`
	Why   string `json:"why"`
}

// Load parses the embedded devices.json and checks its shape.
func Load() (*Corpus, error) {
	var c Corpus
	if err := json.Unmarshal(devicesJSON, &c); err != nil {
		return nil, fmt.Errorf("parse devices.json: %w", err)
	}
	if c.Schema != Schema {
		return nil, fmt.Errorf("devices.json: schema %q", c.Schema)
	}
	ids := map[string]bool{}
	for _, d := range c.Devices {
		if d.ID == "" || ids[d.ID] || len(d.Replies) == 0 {
			return nil, fmt.Errorf("devices.json: device %q: empty or duplicate id, or no reply", d.ID)
		}
		ids[d.ID] = true
		for _, r := range d.Replies {
			if !slices.Contains(kinds, r.Kind) || r.File == "" {
				return nil, fmt.Errorf("devices.json: device %s: reply kind %q file %q", d.ID, r.Kind, r.File)
			}
			if SourceOf(r.File) != d.Source() {
				return nil, fmt.Errorf("devices.json: device %s mixes sources %s and %s", d.ID, d.Source(), SourceOf(r.File))
			}
		}
	}
	for _, comp := range c.Composites {
		members, err := c.Members(comp)
		if err != nil || len(members) == 0 {
			return nil, fmt.Errorf("devices.json: composite %q: %d members, %v", comp.ID, len(members), err)
		}
		for _, m := range members[1:] {
			if m.Source() != members[0].Source() {
				return nil, fmt.Errorf("devices.json: composite %s mixes sources", comp.ID)
			}
		}
	}
	return &c, nil
}

// Source is the source of the device's captures: the shared/data folder,
// or for field-captures the brand folder ("field-captures/hikvision").
func (d Device) Source() string { return SourceOf(d.Replies[0].File) }

// SourceOf returns the source a shared/data path belongs to.
func SourceOf(path string) string {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if parts[0] == "field-captures" && len(parts) > 1 {
		return parts[0] + "/" + parts[1]
	}
	return parts[0]
}

// Files returns the device's capture files.
func (d Device) Files() []string {
	var out []string
	for _, r := range d.Replies {
		if !slices.Contains(out, r.File) {
			out = append(out, r.File)
		}
	}
	return out
}

// Sources returns the distinct sources of the corpus, sorted.
func (c *Corpus) Sources() []string {
	var out []string
	for _, d := range c.Devices {
		if !slices.Contains(out, d.Source()) {
			out = append(out, d.Source())
		}
	}
	slices.Sort(out)
	return out
}

// Unlisted returns the files under dir/field-captures that no device uses
// and no skip entry names: captures added to shared/data since the table
// was written.
func (c *Corpus) Unlisted(dir string) ([]string, error) {
	used := map[string]bool{}
	for _, d := range c.Devices {
		for _, f := range d.Files() {
			used[f] = true
		}
	}
	var out []string
	root := filepath.Join(dir, "field-captures")
	err := filepath.WalkDir(root, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() || e.Name() == "SOURCES.md" {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if used[rel] || slices.ContainsFunc(c.Skipped, func(s Skip) bool { return strings.HasPrefix(rel, s.Files) }) {
			return nil
		}
		out = append(out, rel)
		return nil
	})
	return out, err
}

package lab

import (
	"maps"
	"net/http"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// PlantedInternet is the Planted key of a device whose ports the lab
// router publishes to the internet through UPnP port mappings: its
// internal ports, "80/tcp,554/tcp". A correct scan that audits the router
// (camwarden demo does) reports EXPOSED-TO-INTERNET on each.
const PlantedInternet = "exposure.internet"

// PlantedPortmap is the Planted key of the lab router: how many port
// mappings its UPnP table holds ("2").
const PlantedPortmap = "exposure.portmap"

// labExternal is the lab router's external (WAN) address, from the
// documentation range TEST-NET-3: camwarden reads it and never contacts it.
const labExternal = "203.0.113.10"

// igdMapping is one port mapping the lab router holds: external port and
// protocol to a port of another lab device, named.
type igdMapping struct {
	ExternalPort uint16
	Protocol     string // "TCP" or "UDP", as miniupnpd writes it
	To           string // deviceDef.Name of the internal client
	InternalPort uint16
	Description  string
	Lease        int // seconds left, 0 = permanent
}

// routerMappings are the Buffalo's UPnP mappings: the legacy Hikvision
// camera's web page and video stream, as a camera's own UPnP opens them.
var routerMappings = []igdMapping{
	{ExternalPort: 8080, Protocol: "TCP", To: "hikvision-ipc-legacy", InternalPort: 80, Description: "HIKVISION-WEB", Lease: 0},
	{ExternalPort: 554, Protocol: "TCP", To: "hikvision-ipc-legacy", InternalPort: 554, Description: "HIKVISION-RTSP", Lease: 0},
}

// igdActions counts the SOAP actions the lab routers were asked, so tests
// can check that only read-only ones were sent.
type igdActions struct {
	mu sync.Mutex
	n  map[string]int
}

// plantPortmap adds PlantedInternet to a device the router publishes and
// PlantedPortmap to the router itself (the device table stays unchanged);
// port maps a standard port to the one the lab serves.
func plantPortmap(def deviceDef, port func(uint16) uint16) deviceDef {
	var ports []string
	for _, m := range routerMappings {
		if m.To == def.Name {
			ports = append(ports, strconv.Itoa(int(port(m.InternalPort)))+"/"+strings.ToLower(m.Protocol))
		}
	}
	router := def.Planted["exposure.upnp"] == "igd"
	if len(ports) == 0 && !router {
		return def
	}
	def.Planted = maps.Clone(def.Planted)
	if len(ports) > 0 {
		def.Planted[PlantedInternet] = strings.Join(ports, ",")
	}
	if router {
		def.Planted[PlantedPortmap] = strconv.Itoa(len(routerMappings))
	}
	return def
}

// siblingAddr is the address of the lab device named name in the /24 of
// self (devices are numbered from .2 in deviceTable order).
func siblingAddr(self netip.Addr, name string) (netip.Addr, bool) {
	i := slices.IndexFunc(deviceTable(), func(d deviceDef) bool { return d.Name == name })
	if i < 0 || !self.Is4() {
		return netip.Addr{}, false
	}
	b := self.As4()
	b[3] = byte(2 + i)
	return netip.AddrFrom4(b), true
}

var (
	soapIndexRE = regexp.MustCompile(`<NewPortMappingIndex>\s*(\d+)\s*</NewPortMappingIndex>`)
	soapProtoRE = regexp.MustCompile(`<NewProtocol>\s*(\w+)\s*</NewProtocol>`)
)

// igdAPI answers miniupnpd's WANIPConnection:2 control URL with the
// read-only actions in miniupnpd's own format (responses/SOURCES.md):
// GetExternalIPAddress, GetGenericPortMappingEntry (713 past the end) and
// GetListOfPortMappings (730 when none); anything else, AddPortMapping or
// DeletePortMapping included, gets 401 Invalid Action and changes nothing.
func igdAPI(h *httpDevice, w http.ResponseWriter, r *http.Request, body []byte) bool {
	if r.Method != http.MethodPost || r.URL.Path != "/ctl/IPConn" {
		return false
	}
	action := strings.Trim(r.Header.Get("SOAPAction"), `"`)
	action = action[strings.LastIndex(action, "#")+1:]
	h.d.countIGD(action)
	xml := func(status int, tmpl string, vars map[string]string) {
		h.write(w, &page{Status: status, Type: `text/xml; charset="utf-8"`, Body: tmpl}, vars)
	}
	fault := func(code int, desc string) {
		xml(http.StatusInternalServerError, "@buffalo-wsr1166dhp-upnperror.xml", map[string]string{"CODE": strconv.Itoa(code), "ERROR": desc})
	}
	switch action {
	case "GetExternalIPAddress":
		xml(http.StatusOK, "@buffalo-wsr1166dhp-getexternalipaddress.xml", map[string]string{"EXTERNAL": labExternal})
	case "GetGenericPortMappingEntry":
		m := soapIndexRE.FindSubmatch(body)
		i, err := strconv.Atoi(string(m1(m)))
		if err != nil {
			fault(402, "Invalid Args")
			return true
		}
		if i >= len(routerMappings) {
			fault(713, "SpecifiedArrayIndexInvalid")
			return true
		}
		xml(http.StatusOK, "@buffalo-wsr1166dhp-getgenericportmappingentry.xml", mappingVars(h.d, routerMappings[i]))
	case "GetListOfPortMappings":
		proto := strings.ToUpper(string(m1(soapProtoRE.FindSubmatch(body))))
		var entries strings.Builder
		for _, m := range routerMappings {
			if m.Protocol == proto {
				entries.WriteString(substitute(response("buffalo-wsr1166dhp-portmappingentry.xml"), mappingVars(h.d, m)))
			}
		}
		if entries.Len() == 0 {
			fault(730, "PortMappingNotFound")
			return true
		}
		xml(http.StatusOK, "@buffalo-wsr1166dhp-getlistofportmappings.xml", map[string]string{"ENTRIES": entries.String()})
	default:
		fault(401, "Invalid Action")
	}
	return true
}

func m1(m [][]byte) []byte {
	if len(m) < 2 {
		return nil
	}
	return m[1]
}

func mappingVars(router *device, m igdMapping) map[string]string {
	client, _ := siblingAddr(router.addr, m.To)
	return map[string]string{
		"EXTPORT": strconv.Itoa(int(m.ExternalPort)), "PROTO": m.Protocol, "INTPORT": strconv.Itoa(int(router.port(m.InternalPort))),
		"CLIENT": client.String(), "DESC": m.Description, "LEASE": strconv.Itoa(m.Lease),
	}
}

func (d *device) countIGD(action string) {
	d.igd.mu.Lock()
	defer d.igd.mu.Unlock()
	if d.igd.n == nil {
		d.igd.n = map[string]int{}
	}
	d.igd.n[action]++
}

// IGDActions returns the SOAP actions the device at addr was asked, with
// their counts (nil for an unknown address or a device that is no router).
func (l *Lab) IGDActions(addr netip.Addr) map[string]int {
	l.mu.Lock()
	d := l.devices[addr]
	l.mu.Unlock()
	if d == nil {
		return nil
	}
	d.igd.mu.Lock()
	defer d.igd.mu.Unlock()
	return maps.Clone(d.igd.n)
}

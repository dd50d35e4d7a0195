package captures

import (
	"bufio"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net"
	"net/http"
	"strings"
)

// httpFake answers each request (one per connection, as the probes send
// them) with the captured response for its path, else the capture served
// on every path, else a bare 404.
type httpFake struct {
	paths    map[string]message // request URI -> response
	fallback *message
}

func (f *httpFake) answer(r *http.Request) message {
	if m, ok := f.paths[r.URL.RequestURI()]; ok {
		return m
	}
	if m, ok := f.paths[r.URL.Path]; ok {
		return m
	}
	if f.fallback != nil {
		return *f.fallback
	}
	return message{start: "HTTP/1.1 404 Not Found"}
}

func (f *httpFake) serve(c net.Conn) {
	br := bufio.NewReader(c)
	req, err := http.ReadRequest(br)
	if err != nil {
		return
	}
	_ = req.Body.Close()
	_, _ = c.Write(f.answer(req).encode("", "Connection: close"))
}

// add records one reply of an HTTP kind.
func (f *httpFake) add(r Reply, b []byte) error {
	switch r.Kind {
	case KindHTTP:
		msgs := splitMessages(b)
		if len(msgs) == 0 || !strings.HasPrefix(msgs[0].start, "HTTP/") {
			return fmt.Errorf("%s: no http response", r.File)
		}
		m := msgs[0]
		if m.body == nil {
			// A response without Content-Length: the rest of the capture is its body.
			if _, rest, ok := strings.Cut(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n\n"); ok && rest != "" {
				m.body = []byte(rest)
			}
		}
		f.fallback = &m
	case KindHTTP401Header:
		m := message{start: "HTTP/1.1 401 Unauthorized", header: strings.Split(strings.TrimSpace(crlf(string(b))), "\r\n")}
		f.fallback = &m
	case KindHTTP401Body:
		m := message{start: "HTTP/1.1 401 Unauthorized", header: []string{"Content-Type: text/html"}, body: b}
		f.fallback = &m
	case KindHTTPPath:
		f.paths[r.Path] = message{start: "HTTP/1.1 200 OK", header: []string{"Content-Type: " + contentType(b)}, body: b}
	case KindISAPIJSON:
		x, err := isapiXML(b)
		if err != nil {
			return fmt.Errorf("%s: %w", r.File, err)
		}
		f.paths["/ISAPI/System/deviceInfo"] = message{start: "HTTP/1.1 200 OK",
			header: []string{`Content-Type: application/xml; charset="UTF-8"`}, body: x}
	default:
		return fmt.Errorf("%s: kind %s is not http", r.File, r.Kind)
	}
	return nil
}

func contentType(b []byte) string {
	t := strings.TrimSpace(string(b))
	switch {
	case strings.HasPrefix(t, "<"):
		return "application/xml"
	case strings.HasPrefix(t, "{"), strings.HasPrefix(t, "["):
		return "application/json"
	}
	return "text/plain"
}

// isapiXML re-encodes the /ISAPI/System/deviceInfo answer that a
// hikvision_next diagnostics dump holds as JSON (xmltodict) into the XML the
// device sent: same elements, same order, the root's version and xmlns.
func isapiXML(b []byte) ([]byte, error) {
	var doc struct {
		Data struct {
			ISAPI map[string]json.RawMessage `json:"ISAPI"`
		} `json:"data"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, err
	}
	var info struct {
		Response struct {
			DeviceInfo json.RawMessage `json:"DeviceInfo"`
		} `json:"response"`
	}
	if err := json.Unmarshal(doc.Data.ISAPI["System/deviceInfo"], &info); err != nil {
		return nil, fmt.Errorf("no System/deviceInfo: %w", err)
	}
	keys, vals, err := orderedObject(info.Response.DeviceInfo)
	if err != nil {
		return nil, err
	}
	var sb strings.Builder
	sb.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<DeviceInfo")
	for i, k := range keys {
		if a, ok := strings.CutPrefix(k, "@"); ok {
			fmt.Fprintf(&sb, ` %s="%s"`, a, vals[i])
		}
	}
	sb.WriteString(">\n")
	for i, k := range keys {
		if !strings.HasPrefix(k, "@") {
			sb.WriteString("<" + k + ">")
			_ = xml.EscapeText(&sb, []byte(vals[i]))
			sb.WriteString("</" + k + ">\n")
		}
	}
	sb.WriteString("</DeviceInfo>\n")
	return []byte(sb.String()), nil
}

// orderedObject returns the keys of a flat JSON object in document order
// with their values as text.
func orderedObject(raw json.RawMessage) ([]string, []string, error) {
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, nil, fmt.Errorf("deviceInfo is not an object")
	}
	var keys, vals []string
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return nil, nil, err
		}
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, nil, err
		}
		if _, nested := v.(map[string]any); nested {
			continue
		}
		keys, vals = append(keys, fmt.Sprint(k)), append(vals, fmt.Sprint(v))
	}
	return keys, vals, nil
}

// onvifFake answers GetSystemDateAndTime with a fixed, identity-free
// answer (any ONVIF device gives one without credentials) and
// GetDeviceInformation with the capture.
type onvifFake struct{ info []byte }

const onvifEnvelope = `<?xml version="1.0" encoding="UTF-8"?>` +
	`<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope" xmlns:tds="http://www.onvif.org/ver10/device/wsdl" xmlns:tt="http://www.onvif.org/ver10/schema">`

const onvifTime = onvifEnvelope + `<SOAP-ENV:Body><tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime>` +
	`<tt:DateTimeType>NTP</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>` +
	`<tt:UTCDateTime><tt:Time><tt:Hour>12</tt:Hour><tt:Minute>0</tt:Minute><tt:Second>0</tt:Second></tt:Time>` +
	`<tt:Date><tt:Year>2024</tt:Year><tt:Month>1</tt:Month><tt:Day>1</tt:Day></tt:Date></tt:UTCDateTime>` +
	`</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>`

func (f *onvifFake) serve(c net.Conn) {
	req, err := http.ReadRequest(bufio.NewReader(c))
	if err != nil {
		return
	}
	var body strings.Builder
	_, _ = bufio.NewReader(req.Body).WriteTo(&body)
	_ = req.Body.Close()
	_, _ = c.Write(f.answer(body.String()).encode("", "Connection: close"))
}

// answer is the reply to one SOAP request.
func (f *onvifFake) answer(body string) message {
	out := []byte(onvifTime)
	if strings.Contains(body, "GetDeviceInformation") {
		out = f.info
	}
	return message{start: "HTTP/1.1 200 OK", header: []string{"Content-Type: application/soap+xml; charset=utf-8"}, body: out}
}

// onvifInfo returns the GetDeviceInformation envelope of a reply: the
// capture, with the envelope start restored when the excerpt begins at
// the Body, or the values a client tool printed, put back in place.
func onvifInfo(r Reply, b []byte) ([]byte, error) {
	if r.Kind == KindONVIFXML {
		if strings.Contains(string(b), "Envelope xmlns") {
			return b, nil
		}
		return []byte(onvifEnvelope + string(closeXML([]byte(strings.Replace(string(b), "</SOAP-ENV:Envelope>", "", 1)))) + "</SOAP-ENV:Envelope>"), nil
	}
	v := parsedValues(b)
	if v["manufacturer"] == "" && v["model"] == "" {
		return nil, fmt.Errorf("%s: no manufacturer or model", r.File)
	}
	fields := []struct{ elem, key string }{{"Manufacturer", "manufacturer"}, {"Model", "model"},
		{"FirmwareVersion", "firmwareversion"}, {"SerialNumber", "serialnumber"}, {"HardwareId", "hardwareid"}}
	if v["firmwareversion"] == "" {
		v["firmwareversion"] = v["fwversion"]
	}
	var sb strings.Builder
	sb.WriteString(onvifEnvelope + "<SOAP-ENV:Body><tds:GetDeviceInformationResponse>")
	for _, f := range fields {
		sb.WriteString("<tds:" + f.elem + ">")
		_ = xml.EscapeText(&sb, []byte(v[f.key]))
		sb.WriteString("</tds:" + f.elem + ">")
	}
	sb.WriteString("</tds:GetDeviceInformationResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>")
	return []byte(sb.String()), nil
}

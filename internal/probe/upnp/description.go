package upnp

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Device is one device of a UPnP description (UDA 1.1 section 2.3).
type Device struct {
	DeviceType       string   `xml:"deviceType"`
	FriendlyName     string   `xml:"friendlyName"`
	Manufacturer     string   `xml:"manufacturer"`
	ModelName        string   `xml:"modelName"`
	ModelNumber      string   `xml:"modelNumber"`
	ModelDescription string   `xml:"modelDescription"`
	SerialNumber     string   `xml:"serialNumber"`
	FirmwareVersion  string   `xml:"firmwareVersion"` // not in UDA; Belkin WeMo and others add it
	MACAddress       string   `xml:"macAddress"`      // not in UDA; Belkin WeMo and others add it
	Devices          []Device `xml:"deviceList>device"`
}

// Description is a parsed root description document.
type Description struct {
	Device Device `xml:"device"`
}

// ParseDescription parses a device description with DecodeDescription.
func ParseDescription(b []byte) (Description, error) {
	var d Description
	if err := DecodeDescription(b, &d); err != nil {
		return Description{}, err
	}
	return d, nil
}

// DecodeDescription decodes the <root> element of a UPnP description into
// v, a pointer to a struct with encoding/xml tags; callers that need more
// of the document than Description holds (an IGD's service list) use it to
// share this hardened parser. A DOCTYPE (and so any entity declaration) is
// refused at once, so entity bombs cost nothing; undeclared entities fail
// in strict mode. A document that strict mode refuses only for a bare "&"
// or an unknown entity (routers send raw "&" in pnpx:X_hardwareId) is read
// again in lenient mode, which leaves such text as it is. ISO-8859-1 is
// accepted besides UTF-8. Errors wrap ErrMalformed.
func DecodeDescription(b []byte, v any) error {
	err := decodeDescription(b, v, true)
	if err != nil && bytes.Contains(b, []byte("&")) && !errors.Is(err, errDirective) {
		if lerr := decodeDescription(b, v, false); lerr == nil {
			return nil
		}
	}
	return err
}

var errDirective = fmt.Errorf("%w: description has a DOCTYPE or other directive", ErrMalformed)

func decodeDescription(b []byte, v any, strict bool) error {
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = strict
	dec.CharsetReader = charsetReader
	for {
		tok, err := dec.Token()
		if err != nil {
			return fmt.Errorf("%w: description: %w", ErrMalformed, err)
		}
		switch tok := tok.(type) {
		case xml.Directive:
			return errDirective
		case xml.StartElement:
			if tok.Name.Local != "root" {
				return fmt.Errorf("%w: description root is <%s>", ErrMalformed, tok.Name.Local)
			}
			if err := dec.DecodeElement(v, &tok); err != nil {
				return fmt.Errorf("%w: description: %w", ErrMalformed, err)
			}
			return nil
		}
	}
}

// charsetReader accepts the encodings descriptions declare in practice.
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return in, nil
	case "iso-8859-1", "latin1", "latin-1":
		return latin1Reader{in}, nil
	}
	return nil, fmt.Errorf("unsupported charset %q", label)
}

// latin1Reader turns ISO-8859-1 bytes into UTF-8.
type latin1Reader struct{ r io.Reader }

func (l latin1Reader) Read(p []byte) (int, error) {
	if len(p) < utf8.UTFMax {
		return 0, io.ErrShortBuffer
	}
	buf := make([]byte, len(p)/2)
	n, err := l.r.Read(buf)
	out := p[:0]
	for _, c := range buf[:n] {
		out = utf8.AppendRune(out, rune(c))
	}
	return len(out), err
}

// first returns the first non-empty value of field over d and its embedded
// devices, depth first.
func (d Device) first(field func(Device) string) string {
	if v := strings.TrimSpace(field(d)); v != "" {
		return v
	}
	for _, e := range d.Devices {
		if v := e.first(field); v != "" {
			return v
		}
	}
	return ""
}

package upnp

import (
	"bytes"
	"encoding/xml"
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
	Devices          []Device `xml:"deviceList>device"`
}

// Description is a parsed root description document.
type Description struct {
	Device Device `xml:"device"`
}

// ParseDescription parses a device description with encoding/xml. A
// DOCTYPE (and so any entity declaration) is refused at once, so entity
// bombs cost nothing; undeclared entities fail in strict mode.
func ParseDescription(b []byte) (Description, error) {
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = true
	dec.CharsetReader = charsetReader
	for {
		tok, err := dec.Token()
		if err != nil {
			return Description{}, fmt.Errorf("%w: description: %w", ErrMalformed, err)
		}
		switch tok := tok.(type) {
		case xml.Directive:
			return Description{}, fmt.Errorf("%w: description has a DOCTYPE or other directive", ErrMalformed)
		case xml.StartElement:
			if tok.Name.Local != "root" {
				return Description{}, fmt.Errorf("%w: description root is <%s>", ErrMalformed, tok.Name.Local)
			}
			var d Description
			if err := dec.DecodeElement(&d, &tok); err != nil {
				return Description{}, fmt.Errorf("%w: description: %w", ErrMalformed, err)
			}
			return d, nil
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

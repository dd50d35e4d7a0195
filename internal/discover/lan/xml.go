package lan

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"

	"github.com/camwarden/camwarden/internal/probe"
)

// decodeStrict decodes the first element of b into v, refusing any DOCTYPE
// or other directive (so no entity can be declared).
func decodeStrict(b []byte, root string, v any) error {
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = true
	for {
		tok, err := dec.Token()
		if err != nil {
			return fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		switch tok := tok.(type) {
		case xml.Directive:
			return fmt.Errorf("%w: xml directive", ErrMalformed)
		case xml.StartElement:
			if tok.Name.Local != root {
				return fmt.Errorf("%w: root <%s>, want <%s>", ErrMalformed, tok.Name.Local, root)
			}
			if err := dec.DecodeElement(v, &tok); err != nil {
				return fmt.Errorf("%w: %w", ErrMalformed, err)
			}
			return nil
		}
	}
}

// clean trims and bounds a device-supplied value.
func clean(s string) string { return probe.Printable([]byte(strings.TrimSpace(s)), maxField) }

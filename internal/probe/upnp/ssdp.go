// Package upnp identifies UPnP devices: it sends one unicast SSDP M-SEARCH
// to the target's udp/1900, records the SERVER, ST and LOCATION of the
// answers and, when LOCATION is on the same host, fetches and parses the
// device description (manufacturer, model, serial...). It never sends
// anything to another host than the target.
package upnp

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net/http"
)

// MSearch is the unicast discovery request (UPnP Device Architecture 1.1,
// section 1.3.2). HOST names the multicast group as the spec requires, but
// the datagram goes to the target's unicast address only.
const MSearch = "M-SEARCH * HTTP/1.1\r\n" +
	"HOST: 239.255.255.250:1900\r\n" +
	"MAN: \"ssdp:discover\"\r\n" +
	"MX: 1\r\n" +
	"ST: ssdp:all\r\n" +
	"USER-AGENT: camwarden/1.0 UPnP/1.1 camwarden/1.0\r\n\r\n"

// ErrMalformed is returned for an SSDP answer or description that cannot
// be parsed.
var ErrMalformed = errors.New("upnp: malformed answer")

// SearchResponse holds the headers of one M-SEARCH answer.
type SearchResponse struct {
	Server   string
	ST       string
	USN      string
	Location string
}

// ParseSearchResponse parses one SSDP answer datagram: an HTTP/1.1 200
// response with no body. A datagram whose headers lack the final blank
// line (some stacks omit it) is accepted: the datagram ends the message.
func ParseSearchResponse(b []byte) (SearchResponse, error) {
	if !bytes.HasSuffix(b, []byte("\r\n\r\n")) && !bytes.HasSuffix(b, []byte("\n\n")) {
		b = append(bytes.Clone(b), "\r\n\r\n"...)
	}
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(b)), nil)
	if err != nil {
		return SearchResponse{}, fmt.Errorf("%w: ssdp answer: %w", ErrMalformed, err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return SearchResponse{}, fmt.Errorf("%w: ssdp answer status %d", ErrMalformed, resp.StatusCode)
	}
	return SearchResponse{
		Server:   resp.Header.Get("Server"),
		ST:       resp.Header.Get("St"),
		USN:      resp.Header.Get("Usn"),
		Location: resp.Header.Get("Location"),
	}, nil
}

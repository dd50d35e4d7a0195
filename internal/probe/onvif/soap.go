// Package onvif identifies ONVIF devices over HTTP(S): it asks the device
// service for its clock (GetSystemDateAndTime) and identity
// (GetDeviceInformation) without credentials, and exports the SOAP 1.2
// call, envelope and WS-Security helpers the authentication check reuses.
package onvif

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha1" //nolint:gosec // WS-Security PasswordDigest is defined with SHA-1
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	nethttp "net/http"
	"strings"
	"time"

	httpprobe "github.com/camwarden/camwarden/internal/probe/http"

	"github.com/camwarden/camwarden/internal/probe"
)

// DevicePath is the ONVIF device service path.
const DevicePath = "/onvif/device_service"

// SOAP actions of the device service used here.
const (
	ActionGetSystemDateAndTime = "http://www.onvif.org/ver10/device/wsdl/GetSystemDateAndTime"
	ActionGetDeviceInformation = "http://www.onvif.org/ver10/device/wsdl/GetDeviceInformation"
)

// UsernameToken is a WS-Security UsernameToken with a PasswordDigest.
// Nonce and Created are filled in when empty.
type UsernameToken struct {
	Username string
	Password string // never logged or traced
	Nonce    []byte
	Created  time.Time
}

// Digest returns Base64(SHA1(nonce + created + password)), the
// PasswordDigest of the WS-Security UsernameToken profile.
func (u *UsernameToken) Digest(created string) string {
	h := sha1.New() //nolint:gosec // mandated by the profile
	h.Write(u.Nonce)
	h.Write([]byte(created))
	h.Write([]byte(u.Password))
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// header renders the wsse:Security header.
func (u *UsernameToken) header() (string, error) {
	if len(u.Nonce) == 0 {
		u.Nonce = make([]byte, 16)
		if _, err := rand.Read(u.Nonce); err != nil {
			return "", fmt.Errorf("wsse nonce: %w", err)
		}
	}
	if u.Created.IsZero() {
		u.Created = time.Now()
	}
	created := u.Created.UTC().Format("2006-01-02T15:04:05.000Z")
	var user bytes.Buffer
	_ = xml.EscapeText(&user, []byte(u.Username))
	return `<s:Header><wsse:Security s:mustUnderstand="1" xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">` +
		`<wsse:UsernameToken><wsse:Username>` + user.String() + `</wsse:Username>` +
		`<wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">` + u.Digest(created) + `</wsse:Password>` +
		`<wsse:Nonce EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary">` + base64.StdEncoding.EncodeToString(u.Nonce) + `</wsse:Nonce>` +
		`<wsu:Created>` + created + `</wsu:Created></wsse:UsernameToken></wsse:Security></s:Header>`, nil
}

// BuildEnvelope wraps bodyXML (already-escaped XML) in a SOAP 1.2 envelope,
// with a WS-Security header when sec is not nil.
func BuildEnvelope(bodyXML string, sec *UsernameToken) ([]byte, error) {
	var hdr string
	if sec != nil {
		var err error
		if hdr, err = sec.header(); err != nil {
			return nil, err
		}
	}
	return []byte(`<?xml version="1.0" encoding="UTF-8"?>` +
		`<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:tds="http://www.onvif.org/ver10/device/wsdl">` +
		hdr + `<s:Body>` + bodyXML + `</s:Body></s:Envelope>`), nil
}

// Reply is the HTTP outcome of one SOAP call.
type Reply struct {
	StatusCode int
	Body       []byte // at most httpprobe.BodyCap bytes
}

// Call POSTs one SOAP 1.2 request to the device service of t through d
// (over TLS when useTLS) and returns the capped reply. A reply cut short
// (cap, timeout) is returned with its error.
func Call(ctx context.Context, d probe.Dialer, t probe.Target, useTLS bool, action, bodyXML string, sec *UsernameToken) (*Reply, error) {
	env, err := BuildEnvelope(bodyXML, sec)
	if err != nil {
		return nil, err
	}
	req, err := nethttp.NewRequestWithContext(ctx, nethttp.MethodPost, httpprobe.BaseURL(t, useTLS)+DevicePath, bytes.NewReader(env))
	if err != nil {
		return nil, fmt.Errorf("onvif request: %w", err)
	}
	req.Header.Set("Content-Type", `application/soap+xml; charset=utf-8; action="`+action+`"`)
	r, err := httpprobe.Do(httpprobe.NewClient(d, t), req)
	if r == nil {
		return nil, fmt.Errorf("onvif %s: %w", shortAction(action), err)
	}
	rep := &Reply{StatusCode: r.Resp.StatusCode, Body: r.Body}
	if err != nil {
		return rep, fmt.Errorf("onvif %s body: %w", shortAction(action), err)
	}
	return rep, nil
}

func shortAction(a string) string { return a[strings.LastIndex(a, "/")+1:] }

// ErrDoctype is returned for SOAP carrying a DOCTYPE (how entity bombs
// arrive); SOAP forbids DTDs.
var ErrDoctype = errors.New("onvif: soap with doctype refused")

// Envelope is the parsed content of a SOAP answer.
type Envelope struct {
	Operation string            // local name of the first Body child, e.g. GetDeviceInformationResponse
	Fields    map[string]string // leaf text by local-name path below Body, first wins
	Fault     *Fault
}

// Fault is a SOAP 1.2 fault.
type Fault struct {
	Code     string
	Subcodes []string
	Reason   string
}

// NotAuthorized reports the ONVIF ter:NotAuthorized fault (or a reason that
// says so, as some devices only do).
func (f *Fault) NotAuthorized() bool {
	for _, s := range f.Subcodes {
		if strings.Contains(strings.ToLower(s), "notauthorized") {
			return true
		}
	}
	r := strings.ToLower(f.Reason)
	return strings.Contains(r, "not authorized") || strings.Contains(r, "unauthorized")
}

// leafMax bounds the text kept per leaf.
const leafMax = 512

// ParseEnvelope decodes a SOAP answer strictly: a DOCTYPE is refused
// (ErrDoctype), undefined entities fail, and no external entity is read.
func ParseEnvelope(b []byte) (*Envelope, error) {
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = true
	env := &Envelope{Fields: map[string]string{}}
	var stack []string
	var text strings.Builder
	inBody := -1
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return env, fmt.Errorf("onvif decode soap: %w", err)
		}
		switch v := tok.(type) {
		case xml.Directive:
			if bytes.HasPrefix(bytes.ToUpper(bytes.TrimSpace(v)), []byte("DOCTYPE")) {
				return env, ErrDoctype
			}
		case xml.StartElement:
			if len(stack) == 0 && v.Name.Local != "Envelope" {
				return env, fmt.Errorf("onvif decode soap: root %q is not Envelope", v.Name.Local)
			}
			stack = append(stack, v.Name.Local)
			if len(stack) > 64 {
				return env, errors.New("onvif decode soap: nested too deep")
			}
			if v.Name.Local == "Body" && len(stack) == 2 {
				inBody = len(stack)
			} else if inBody > 0 && len(stack) == inBody+1 && env.Operation == "" {
				env.Operation = v.Name.Local
			}
			text.Reset()
		case xml.CharData:
			if text.Len() < leafMax {
				text.Write(v)
			}
		case xml.EndElement:
			if inBody > 0 && len(stack) > inBody {
				key := strings.Join(stack[inBody:], "/")
				if _, seen := env.Fields[key]; !seen && text.Len() > 0 {
					env.Fields[key] = strings.TrimSpace(text.String())
				}
			}
			text.Reset()
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
	if inBody < 0 {
		return env, errors.New("onvif decode soap: no Body")
	}
	env.Fault = faultOf(env)
	return env, nil
}

// faultOf reads the SOAP 1.2 fault fields, if the body is a Fault.
func faultOf(env *Envelope) *Fault {
	if env.Operation != "Fault" {
		return nil
	}
	f := &Fault{Code: env.Fields["Fault/Code/Value"], Reason: env.Fields["Fault/Reason/Text"]}
	for path := "Fault/Code/Subcode"; ; path += "/Subcode" {
		v, ok := env.Fields[path+"/Value"]
		if !ok {
			break
		}
		f.Subcodes = append(f.Subcodes, v)
	}
	return f
}

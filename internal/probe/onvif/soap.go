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
	// Challenge is the first WWW-Authenticate header of a 401 (at most
	// challengeMax bytes) and ContentType the answer's Content-Type.
	Challenge, ContentType string
}

// challengeMax bounds the challenge kept from a reply.
const challengeMax = 1 << 10

// Call POSTs one SOAP 1.2 request to the device service of t through d
// (over TLS when useTLS) and returns the capped reply. A reply cut short
// (cap, timeout) is returned with its error.
//
// With a token, an answer that is an HTTP 401 with a Digest challenge and
// no SOAP body (the web server refused before the SOAP layer read the
// token: Dahua's device service, old Hikvision firmware) is answered once
// more with HTTP Digest for the same account and a fresh token, as ONVIF
// Core 5.9.1 lets a device require: one password check by the device, as
// the first request carried no HTTP credentials. A 401 that carries a SOAP
// fault judged the token and is returned as it is.
func Call(ctx context.Context, d probe.Dialer, t probe.Target, useTLS bool, action, bodyXML string, sec *UsernameToken) (*Reply, error) {
	rep, err := callPath(ctx, d, t, useTLS, DevicePath, action, bodyXML, sec, "")
	if err != nil || sec == nil || !needsHTTPDigest(rep) {
		return rep, err
	}
	auth, aerr := digestAuthorization(rep.Challenge, DevicePath, sec)
	if aerr != nil {
		return rep, nil //nolint:nilerr // a challenge we cannot answer: the 401 stands
	}
	retry := &UsernameToken{Username: sec.Username, Password: sec.Password, Created: sec.Created}
	return callPath(ctx, d, t, useTLS, DevicePath, action, bodyXML, retry, auth)
}

// callPath POSTs one SOAP 1.2 request to path, with an Authorization
// header when authorization is set.
func callPath(ctx context.Context, d probe.Dialer, t probe.Target, useTLS bool, path, action, bodyXML string, sec *UsernameToken, authorization string) (*Reply, error) {
	env, err := BuildEnvelope(bodyXML, sec)
	if err != nil {
		return nil, err
	}
	req, err := nethttp.NewRequestWithContext(ctx, nethttp.MethodPost, httpprobe.BaseURL(t, useTLS)+path, bytes.NewReader(env))
	if err != nil {
		return nil, fmt.Errorf("onvif request: %w", err)
	}
	req.Header.Set("Content-Type", `application/soap+xml; charset=utf-8; action="`+action+`"`)
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	r, err := httpprobe.Do(httpprobe.NewClient(d, t), req)
	if r == nil {
		return nil, fmt.Errorf("onvif %s: %w", shortAction(action), err)
	}
	rep := &Reply{StatusCode: r.Resp.StatusCode, Body: r.Body, ContentType: r.Resp.Header.Get("Content-Type")}
	if r.Resp.StatusCode == nethttp.StatusUnauthorized {
		rep.Challenge = r.Resp.Header.Get("WWW-Authenticate")
		if len(rep.Challenge) > challengeMax {
			rep.Challenge = rep.Challenge[:challengeMax]
		}
	}
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

package onvifauth

import (
	"context"
	"fmt"

	"github.com/camwarden/camwarden/internal/login"
	"github.com/camwarden/camwarden/internal/login/identity"
	"github.com/camwarden/camwarden/internal/probe"
	"github.com/camwarden/camwarden/internal/probe/onvif"
)

// bodyGetDeviceInformation is the read-only device-service call that
// answers Manufacturer, Model, FirmwareVersion, SerialNumber, HardwareId.
const bodyGetDeviceInformation = `<GetDeviceInformation xmlns="http://www.onvif.org/ver10/device/wsdl"/>`

// ReadIdentity returns the identity of GetDeviceInformation read with c:
// the answer the last successful Try already had when that call was its
// login, else one call with a fresh UsernameToken dated on the device's
// clock as measured by that Try. A NotAuthorized answer is a refusal.
// apis is not used.
func (m *Method) ReadIdentity(ctx context.Context, d probe.Dialer, t probe.Target, c login.Credential, _ []identity.API) (identity.Result, error) {
	var r identity.Result
	body := m.info
	if body == nil {
		r.Sent = true
		rep, err := onvif.Call(ctx, d, t, m.TLS, onvif.ActionGetDeviceInformation, bodyGetDeviceInformation, m.token(c))
		if err != nil {
			return r, fmt.Errorf("onvif identity: %w", err)
		}
		v, _ := judge(rep)
		if v == vDenied {
			r.Refused = true
			return r, nil
		}
		body = rep.Body
	}
	cl, err := identity.ParseONVIFDeviceInformation(body)
	if err != nil {
		return r, fmt.Errorf("onvif identity: %w", err)
	}
	r.Add("ONVIF GetDeviceInformation", cl)
	return r, nil
}

var _ identity.Reader = (*Method)(nil)

package lab

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"net"
	"net/netip"
	"time"
)

// httpsOn is h served over TLS on port with the device's own self-signed
// certificate, the way cameras that enable HTTPS out of the box ship it.
// ONVIF stays on the plain port.
func httpsOn(h httpProfile, port uint16) httpProfile {
	h.Port, h.TLS, h.ONVIF = port, true, nil
	return h
}

// selfSignedTLS makes a TLS listener config with a fresh self-signed ECDSA
// certificate for addr (CN and IP SAN = addr, organisation = vendor),
// valid from an hour ago for ten years.
func selfSignedTLS(addr netip.Addr, vendor string) (*tls.Config, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("lab tls key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		return nil, fmt.Errorf("lab tls serial: %w", err)
	}
	name := pkix.Name{CommonName: addr.String(), Organization: []string{vendor}}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial, Subject: name, Issuer: name,
		NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(10, 0, 0),
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses: []net.IP{net.IP(addr.AsSlice())}, BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("lab tls certificate: %w", err)
	}
	return &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}},
		MinVersion:   tls.VersionTLS12,
	}, nil
}

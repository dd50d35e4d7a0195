package lab

import (
	"github.com/gosnmp/gosnmp"
)

// snmpProfile is what a device's SNMP agent answers to v1/v2c GETs.
type snmpProfile struct {
	Community   string
	SysDescr    string
	SysObjectID string // dotted, with leading dot
}

const (
	oidSysDescr    = ".1.3.6.1.2.1.1.1.0"
	oidSysObjectID = ".1.3.6.1.2.1.1.2.0"
)

// answerSNMP decodes a request with gosnmp and returns the BER GetResponse,
// or nothing for a wrong community, a non-GET or garbage (as agents do).
func answerSNMP(req []byte, p *snmpProfile) [][]byte {
	dec := &gosnmp.GoSNMP{}
	in, err := dec.SnmpDecodePacket(req)
	if err != nil || in.Community != p.Community || in.PDUType != gosnmp.GetRequest {
		return nil
	}
	if in.Version != gosnmp.Version1 && in.Version != gosnmp.Version2c {
		return nil
	}
	out := &gosnmp.SnmpPacket{
		Version: in.Version, Community: in.Community, PDUType: gosnmp.GetResponse,
		RequestID: in.RequestID,
	}
	for i, v := range in.Variables {
		switch v.Name {
		case oidSysDescr:
			out.Variables = append(out.Variables, gosnmp.SnmpPDU{Name: v.Name, Type: gosnmp.OctetString, Value: []byte(p.SysDescr)})
		case oidSysObjectID:
			out.Variables = append(out.Variables, gosnmp.SnmpPDU{Name: v.Name, Type: gosnmp.ObjectIdentifier, Value: p.SysObjectID})
		default:
			if in.Version == gosnmp.Version1 {
				out.Error, out.ErrorIndex = gosnmp.NoSuchName, uint8(i+1)
				out.Variables = in.Variables
				return marshalSNMP(out)
			}
			out.Variables = append(out.Variables, gosnmp.SnmpPDU{Name: v.Name, Type: gosnmp.NoSuchObject})
		}
	}
	return marshalSNMP(out)
}

func marshalSNMP(p *gosnmp.SnmpPacket) [][]byte {
	b, err := p.MarshalMsg()
	if err != nil {
		return nil
	}
	return [][]byte{b}
}

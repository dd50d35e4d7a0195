package snmp

import (
	"slices"
	"strings"
)

// IdentityOIDs are read-only objects of vendor MIBs that hold a device's
// model and firmware, asked in the same GET as sysDescr and sysObjectID:
// cameras and recorders often leave the MIB-II system group generic (or
// empty) and put their identity there. An agent without them answers
// noSuchObject for each (SNMPv2c), which costs nothing.
var IdentityOIDs = []struct {
	OID, What, Source string
}{
	{".1.3.6.1.4.1.39165.1.1.0", "model", "HIK-DEVICE-MIB deviceType (enterprises 39165, devicemib 1)"},
	{".1.3.6.1.4.1.39165.1.3.0", "firmware", "HIK-DEVICE-MIB softwVersion (devicemib 3)"},
	{".1.3.6.1.4.1.1004849.2.1.2.6.0", "model", "DAHUA-SNMP-MIB deviceType (enterprises 1004849, productInfo 6)"},
	{".1.3.6.1.4.1.1004849.2.1.1.1.0", "firmware", "DAHUA-SNMP-MIB softwareRevision (versionInfo 1)"},
}

// maxPrivate bounds one vendor object's value.
const maxPrivate = 128

func isIdentityOID(oid string) bool {
	return slices.ContainsFunc(IdentityOIDs, func(o struct{ OID, What, Source string }) bool { return o.OID == oid })
}

// PrivateLine is how a vendor object is recorded in probe.FieldSNMPPrivate:
// its OID without the leading dot, "=", its value.
func PrivateLine(oid, value string) string {
	return strings.TrimPrefix(oid, ".") + "=" + value
}

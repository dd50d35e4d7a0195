// Package scope parses what the user asked camwarden to scan and guards
// every connection against leaving that scope.
//
// # Accepted syntax
//
// Targets and excludes are tokens, given as separate arguments or separated
// by commas or white space:
//
//	192.168.1.10                 one IPv4 address
//	fd00::10                     one IPv6 address (no %zone)
//	192.168.1.0/24               IPv4 CIDR (host bits are ignored)
//	fd00::/120                   IPv6 CIDR, at most a /64 as a target
//	192.168.1.10-20              range in the last octet
//	192.168.1.250-192.168.2.5    range between two IPv4 addresses
//	fd00::1-fd00::ff             range between two IPv6 addresses
//	fd00::1-ff                   range in the last IPv6 group (hex)
//	nvr.lan                      hostname; every address it resolves to
//	@targets.txt                 file of tokens: one or more per line,
//	                             '#' starts a comment, blank lines ignored
//
// Excludes (--exclude, and --exclude-file as @file) use the same syntax and
// always win over targets. Overlapping targets are merged, so no address is
// scanned twice. Addresses are walked in ascending order, IPv4 first.
//
// # What may be scanned
//
// Without flags only these blocks are allowed: loopback 127.0.0.0/8 and
// ::1, RFC 1918 (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16), link-local
// 169.254.0.0/16 and fe80::/10, CGNAT 100.64.0.0/10 and IPv6 ULA fc00::/7.
// Any other address is public: it is refused unless --allow-public is
// given, and a range that contains even one public address is refused as
// a whole. Unspecified (0.0.0.0/8, ::), multicast (224.0.0.0/4, ff00::/8)
// and reserved or broadcast (240.0.0.0/4) addresses are always refused.
// IPv6 target blocks wider than a /64 are refused because they could never
// be walked. A hostname is refused if any address it resolves to is.
//
// A refused or malformed token stops Parse with a *TargetError that names
// it; nothing is scanned.
package scope

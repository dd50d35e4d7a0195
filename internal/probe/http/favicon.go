package http

import (
	"crypto/md5" //nolint:gosec // favicon fingerprints are published as MD5
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"math/bits"
	"strconv"
	"strings"
)

// FaviconMD5 returns the hex MD5 of a favicon, the form recog and Ingram
// publish.
func FaviconMD5(icon []byte) string {
	sum := md5.Sum(icon) //nolint:gosec // fingerprint, not security
	return hex.EncodeToString(sum[:])
}

// FaviconMMH3 returns the Shodan-style favicon hash: the signed decimal
// murmur3-32 (seed 0) of the icon's base64 encoding with a newline after
// every 76 characters and at the end (Python's base64.encodebytes).
func FaviconMMH3(icon []byte) string {
	enc := base64.StdEncoding.EncodeToString(icon)
	var sb strings.Builder
	for len(enc) > 76 {
		sb.WriteString(enc[:76])
		sb.WriteByte('\n')
		enc = enc[76:]
	}
	sb.WriteString(enc)
	sb.WriteByte('\n')
	return strconv.Itoa(int(int32(Murmur3([]byte(sb.String()), 0))))
}

// Murmur3 is MurmurHash3 x86 32-bit.
func Murmur3(data []byte, seed uint32) uint32 {
	const c1, c2 = 0xcc9e2d51, 0x1b873593
	h := seed
	n := len(data) / 4
	for i := 0; i < n; i++ {
		k := binary.LittleEndian.Uint32(data[i*4:])
		k *= c1
		k = bits.RotateLeft32(k, 15)
		k *= c2
		h ^= k
		h = bits.RotateLeft32(h, 13)
		h = h*5 + 0xe6546b64
	}
	tail := data[n*4:]
	var k uint32
	switch len(tail) {
	case 3:
		k ^= uint32(tail[2]) << 16
		fallthrough
	case 2:
		k ^= uint32(tail[1]) << 8
		fallthrough
	case 1:
		k ^= uint32(tail[0])
		k *= c1
		k = bits.RotateLeft32(k, 15)
		k *= c2
		h ^= k
	}
	h ^= uint32(len(data))
	h ^= h >> 16
	h *= 0x85ebca6b
	h ^= h >> 13
	h *= 0xc2b2ae35
	h ^= h >> 16
	return h
}

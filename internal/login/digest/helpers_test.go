package digest

import (
	"crypto/md5"
	"encoding/hex"
)

func md5s(s string) string {
	h := md5.Sum([]byte(s))
	return hex.EncodeToString(h[:])
}

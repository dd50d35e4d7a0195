package firmware

import (
	"regexp"
	"strings"
)

// internalPath matches a file of camwarden's own source tree (the
// catalogue generator's overlay, a test fixture), which means nothing to
// a camera owner and is not public evidence.
var internalPath = regexp.MustCompile(`(^|[\s(])(gen|internal|testdata|cmd)/[\w./-]+`)

// PublicSource returns a catalogue source as users may read it: the
// "; "-separated clauses that name a file of camwarden's own tree
// ("ranges/patterns transcribed in gen/overlay.json") are dropped, the
// public sources (CVE records, vendor pages, KEV) kept.
func PublicSource(s string) string {
	clauses := strings.Split(s, "; ")
	kept := clauses[:0]
	for _, c := range clauses {
		if !internalPath.MatchString(c) {
			kept = append(kept, c)
		}
	}
	return strings.Join(kept, "; ")
}

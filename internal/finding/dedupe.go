package finding

import (
	"slices"
	"strings"
)

// supersedes lists, for a weakness ID, the IDs that report the same
// weakness of the same service from another checkpoint's angle. An ONVIF
// service that answers without WS-Security is one weakness: the
// authentication check's AUTH-NONE-ONVIF (critical) says it, and the
// exposure check's EXPOSE-ONVIF-NOAUTH (which stays when logins were not
// tried, --no-login) is then redundant.
var supersedes = map[string][]string{
	"AUTH-NONE-ONVIF": {"EXPOSE-ONVIF-NOAUTH"},
}

// EvidenceMerged is the evidence key that names the findings merged into
// a finding by Dedupe (comma-separated IDs).
const EvidenceMerged = "merged"

// Dedupe returns fs with one finding per weakness: a finding superseded
// by another on the same address and port is dropped, its evidence keys
// added to the one kept where they are missing, and its ID recorded under
// EvidenceMerged. Order is kept; fs is not modified.
func Dedupe(fs []Finding) []Finding {
	type key struct {
		id   string
		addr string
		port uint16
	}
	keep := map[key]int{} // superseded ID on a port -> index of the finding that supersedes it
	for i, f := range fs {
		for _, id := range supersedes[f.ID] {
			keep[key{id, f.Address.String(), f.Port}] = i
		}
	}
	if len(keep) == 0 {
		return fs
	}
	out := make([]Finding, 0, len(fs))
	pos := make(map[int]int, len(fs)) // index in fs -> index in out
	merged := map[int][]Finding{}     // index in fs -> findings it absorbs
	for i, f := range fs {
		if j, ok := keep[key{f.ID, f.Address.String(), f.Port}]; ok && j != i {
			merged[j] = append(merged[j], f)
			continue
		}
		pos[i] = len(out)
		out = append(out, f)
	}
	for j, gone := range merged {
		out[pos[j]] = absorb(out[pos[j]], gone)
	}
	return out
}

func absorb(f Finding, gone []Finding) Finding {
	ev := make(map[string]string, len(f.Evidence)+4)
	for k, v := range f.Evidence {
		ev[k] = v
	}
	var ids []string
	for _, g := range gone {
		ids = append(ids, g.ID)
		for k, v := range g.Evidence {
			if _, ok := ev[k]; !ok && v != "" {
				ev[k] = v
			}
		}
	}
	slices.Sort(ids)
	ev[EvidenceMerged] = strings.Join(slices.Compact(ids), ",")
	f.Evidence = ev
	return f
}

package main

import (
	"fmt"
	"path/filepath"
	"strings"
)

// communities builds the SNMP list: the curated defaults ("public",
// "private"), then nmap's snmpcommunities.lst (common tier) and changeme's
// snmp__common.yml (extended tier), both as facts only.
func communities(in inputs, defaults []string) ([]map[string]any, error) {
	nmap := map[string]string{}
	var nmapOrder []string
	err := lines(filepath.Join(in.dir, "nmap/snmpcommunities.lst"), func(n int, l string) {
		if _, dup := nmap[l]; !dup {
			nmap[l] = fmt.Sprintf("nmap/snmpcommunities.lst:%d (facts)", n)
			nmapOrder = append(nmapOrder, l)
		}
	})
	if err != nil {
		return nil, err
	}
	changeme := map[string]string{}
	var chOrder []string
	for _, f := range []string{"changeme/snmp__public_private.yml", "changeme/snmp__common.yml"} {
		p, ok := in.path(f)
		if !ok {
			continue
		}
		i := 0
		err := lines(p, func(n int, l string) {
			v, ok := strings.CutPrefix(strings.TrimSpace(l), "password:")
			if !ok {
				return
			}
			i++
			v = strings.TrimSpace(v)
			if _, dup := changeme[v]; !dup && v != "" {
				changeme[v] = fmt.Sprintf("%s:%d credentials[%d] (facts)", f, n, i)
				chOrder = append(chOrder, v)
			}
		})
		if err != nil {
			return nil, err
		}
	}
	var out []map[string]any
	seen := map[string]bool{}
	add := func(c, name, tier string) {
		if seen[c] {
			return
		}
		seen[c] = true
		var src []string
		for _, s := range []string{nmap[c], changeme[c]} {
			if s != "" {
				src = append(src, s)
			}
		}
		out = append(out, map[string]any{"community": c, "name": name, "tier": tier, "sources": src})
	}
	names := []string{"SNMP factory read-only community", "SNMP factory read-write community"}
	for i, c := range defaults {
		add(c, names[min(i, len(names)-1)], "default")
	}
	for i, c := range nmapOrder {
		add(c, safeName(c, "", "", fmt.Sprintf("SNMP community from nmap's list, rank %d", i+1), fmt.Sprintf("nmap list, rank %d", i+1)), "common")
	}
	for i, c := range chOrder {
		add(c, safeName(c, "", "", fmt.Sprintf("SNMP community from changeme's list, rank %d", i+1), fmt.Sprintf("changeme list, rank %d", i+1)), "extended")
	}
	return out, nil
}

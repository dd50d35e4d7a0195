package main

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
)

// inputs is the shared data directory as the generator sees it: with
// -without, whole sources are held out, as if their directories were
// absent (the generalisation test builds catalogues that way).
type inputs struct {
	dir     string
	without map[string]bool // source directory names held out
}

// copies names the sources whose credential rows repeat another source's:
// SecLists' default-passwords.csv is contained in DefaultCreds-Cheat-Sheet
// (see ../shared/data/SOURCES.md), and changeme's telnet list says it is
// the Mirai list. A copy never votes on its own (see prevalence.go), and
// holding out either side of a copy holds out both, so that a held-out
// source cannot leak back through its copy.
var copies = map[string]string{
	"seclists/default-passwords.camera-dvr-subset.csv": "defaultcreds-cheat-sheet",
	"changeme/telnet__telnet.yml":                      "mirai",
}

// newInputs validates the held-out source names against the directories
// of data.
func newInputs(data, without string) (inputs, error) {
	in := inputs{dir: data, without: map[string]bool{}}
	for _, s := range strings.Split(without, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if !slices.Contains(credentialSources(), s) {
			return in, fmt.Errorf("-without %q: not a credential source (want one of %s)", s, strings.Join(credentialSources(), ", "))
		}
		in.without[s] = true
	}
	for file, orig := range copies {
		dir, _, _ := strings.Cut(file, "/")
		if in.without[orig] {
			in.without[dir+"!"+file] = true
		}
		if in.without[dir] {
			in.without[orig] = true
		}
	}
	return in, nil
}

// credentialSources are the source directories of ../shared/data the
// generator reads credentials from.
func credentialSources() []string {
	return []string{"cameradar", "changeme", "defaultcreds-cheat-sheet", "mirai", "nndefaccts", "routersploit", "rtspbrute", "seclists"}
}

// path returns the full path of a file of the shared data ("dir/file")
// and whether it is in use (false when its source is held out).
func (in inputs) path(name string) (string, bool) {
	dir, _, _ := strings.Cut(name, "/")
	if in.without[dir] || in.without[dir+"!"+name] {
		return "", false
	}
	return filepath.Join(in.dir, name), true
}

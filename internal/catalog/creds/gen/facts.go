package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// factKind says what a source row tells about a pair, and so the
// shallowest depth at which the pair is tried on a device of unknown
// vendor (see prevalence.go).
type factKind int

const (
	// attributed: a source names a vendor or product whose factory
	// default the pair is (tier default).
	attributed factKind = iota
	// weighted: Mirai's list, the pairs its authors found on IoT devices
	// with their selection weight (tier common, as the Mirai list is).
	weighted
	// listed: a brute-force dictionary without vendors or weights
	// (tier extended).
	listed
)

// fact is one username/password pair one source lists, for the
// prevalence ranking.
type fact struct {
	source    string // source directory: "defaultcreds-cheat-sheet"
	file      string // "dir/file" of the shared data
	kind      factKind
	vendor    string // vendor key for attributed facts; "" otherwise
	username  string
	password  string
	protocols []string
	weight    float64 // Mirai's weight; 0 otherwise
	cite      string  // "<dir>/<file>:<where>", "(facts)" when GPL
}

// vendorKey names the vendor of a product column: the catalogue's
// canonical vendor when the product maps to one, else the product's first
// word, lower-cased ("AXIS 2100 Network Camera" -> "axis"), so that one
// vendor's product lines count once.
func vendorKey(product string) string {
	if v, _ := vendorOf(product); v != "" {
		return strings.ToLower(v)
	}
	base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(product)), " (")
	w, _, _ := strings.Cut(base, " ")
	return strings.Trim(w, ",.:;")
}

// allFacts makes the facts of every credential source the prevalence
// ranking uses: those read once for the catalogue too (s), and
// changeme's and nndefaccts', which only the ranking reads.
func allFacts(in inputs, s sourceRecords) ([]fact, error) {
	changeme, err := changemeFacts(in)
	if err != nil {
		return nil, err
	}
	nndefaccts, err := nndefacctsFacts(in)
	if err != nil {
		return nil, err
	}
	return slices.Concat(defaultCredsFacts(s.vendorLists), routersploitFacts(s.modules, s.rsDefaults), changeme,
		nndefaccts, miraiFacts(s.mirai), cameradarFacts(s.cameradar), listFacts(s.rtspbrute, []string{"rtsp"}, " (facts)")), nil
}

// newFact is the fact a record gives: of kind, for vendor and protocols,
// cited with mark.
func newFact(r record, kind factKind, vendor string, protocols []string, mark string) fact {
	return fact{source: r.source(), file: r.file, kind: kind, vendor: vendor, username: r.username, password: r.password,
		protocols: protocols, weight: r.weight, cite: r.cite(mark)}
}

// loginSuffix maps DefaultCreds' product suffix to protocols: none (a
// device's own accounts) gives the camera protocols, "(web)" HTTP, and
// "(telnet)", "(ssh)", "(ftp)" themselves; any other suffix ("(snmp)",
// "(mssql)", "(vnc)"...) is not a login surface camwarden tries.
func loginSuffix(product string) ([]string, bool) {
	_, suffix, ok := strings.Cut(strings.ToLower(product), " (")
	if !ok {
		return cameraProtocols, true
	}
	suffix = strings.TrimSuffix(strings.TrimSpace(suffix), ")")
	switch suffix {
	case "web":
		return []string{"http"}, true
	case "telnet", "ssh", "ftp":
		return []string{suffix}, true
	}
	return nil, false
}

// defaultCredsFacts are the facts of every row of DefaultCreds-Cheat-Sheet
// (MIT) and the SecLists camera subset (MIT; a copy of DefaultCreds rows,
// see copies) on a login surface camwarden tries. Rows whose username is
// blank or "<N/A>" are password-only logins: no account to try on the
// surfaces camwarden guesses, so skipped.
func defaultCredsFacts(recs []record) []fact {
	var out []fact
	for _, r := range recs {
		protos, ok := loginSuffix(r.product)
		if !ok || r.username == "" {
			continue
		}
		out = append(out, newFact(r, attributed, vendorKey(r.product), protos, ""))
	}
	return out
}

// routersploitFacts are the facts of routersploit's camera modules (BSD;
// one vendor per module directory) and of its defaults.txt dictionary.
func routersploitFacts(modules, defaults []record) []fact {
	var out []fact
	for _, r := range modules {
		if r.username != "" {
			out = append(out, newFact(r, attributed, vendorKey(r.product), []string{r.protocol}, ""))
		}
	}
	return append(out, listFacts(defaults, []string{"telnet", "ssh", "ftp", "http"}, "")...)
}

// listFacts are the facts of a "user:pass" dictionary, for protocols;
// mark follows each citation.
func listFacts(recs []record, protocols []string, mark string) []fact {
	var out []fact
	for _, r := range recs {
		if r.username != "" {
			out = append(out, newFact(r, listed, "", protocols, mark))
		}
	}
	return out
}

// miraiFacts are the decoded Mirai list's pairs with their weights
// (facts). Mirai attacked telnet; its pairs are the embedded-Linux
// accounts SSH serves too.
func miraiFacts(recs []record) []fact {
	out := make([]fact, 0, len(recs))
	for _, r := range recs {
		out = append(out, newFact(r, weighted, "", []string{"telnet", "ssh"}, " (facts)"))
	}
	return out
}

// cameradarFacts are Cameradar's RTSP dictionary (MIT): every username
// with every password, as Cameradar tries them.
func cameradarFacts(c cameradar) []fact {
	var out []fact
	for i, u := range c.Usernames {
		for j, pw := range c.Passwords {
			if u == "" {
				continue
			}
			out = append(out, fact{source: "cameradar", file: cameradarFile, kind: listed, username: u, password: pw,
				protocols: cameraProtocols, cite: fmt.Sprintf("%s:usernames[%d]+passwords[%d]", cameradarFile, i, j)})
		}
	}
	return out
}

// changemeFacts reads changeme's camera/IoT definitions (GPL, facts): one
// product per file; its generic telnet list is the Mirai list (a copy)
// and its SSH list names no product, so both count as dictionaries.
func changemeFacts(in inputs) ([]fact, error) {
	files, err := filepath.Glob(filepath.Join(in.dir, "changeme", "*.yml"))
	if err != nil {
		return nil, err
	}
	var out []fact
	for _, f := range files {
		name := "changeme/" + filepath.Base(f)
		proto, product, _ := strings.Cut(strings.TrimSuffix(filepath.Base(f), ".yml"), "__")
		if proto == "snmp" {
			continue
		}
		p, ok := in.path(name)
		if !ok {
			continue
		}
		kind, vendor := attributed, product
		if product == "telnet" || product == "iot" {
			kind, vendor = listed, ""
		}
		protos := []string{proto}
		creds, err := yamlCredentials(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		for i, c := range creds {
			if c.username == "" {
				continue
			}
			out = append(out, fact{source: "changeme", file: name, kind: kind, vendor: vendor, username: c.username,
				password: c.password, protocols: protos, cite: fmt.Sprintf("%s:credentials[%d] (facts)", name, i+1)})
		}
	}
	return out, nil
}

type userPass struct{ username, password string }

// yamlCredentials reads the auth.credentials list of a changeme file: the
// "- username: X" / "password: Y" items (either order) up to the first
// line back at the list's indentation that is not an item.
func yamlCredentials(path string) ([]userPass, error) {
	var out []userPass
	indent := -1 // of "credentials:"; -1 outside the list
	err := lines(path, func(_ int, l string) {
		t := strings.TrimSpace(l)
		ind := len(l) - len(strings.TrimLeft(l, " "))
		switch {
		case t == "credentials:":
			indent = ind
			return
		case indent < 0:
			return
		case ind < indent || ind == indent && !strings.HasPrefix(t, "- "):
			indent = -1
			return
		}
		item := strings.HasPrefix(t, "- ")
		k, v, ok := strings.Cut(strings.TrimPrefix(t, "- "), ":")
		if item || len(out) == 0 {
			out = append(out, userPass{})
		}
		if !ok {
			return
		}
		v = strings.Trim(strings.TrimSpace(v), `'"`)
		switch k {
		case "username":
			out[len(out)-1].username = v
		case "password":
			out[len(out)-1].password = v
		}
	})
	return out, err
}

var (
	nnBlock = regexp.MustCompile(`(?s)table\.insert\(fingerprints, \{\s*name = "((?:[^"\\]|\\.)*)",\s*(?:cpe = "[^"]*",\s*)?category = "([a-z]+)"(.*?)\n\}\)`)
	nnCombo = regexp.MustCompile(`\{\s*username\s*=\s*"((?:[^"\\]|\\.)*)"\s*,\s*password\s*=\s*"((?:[^"\\]|\\.)*)"\s*\}`)
	// luaUnescape undoes the escapes Lua string literals of the file use.
	luaUnescape = strings.NewReplacer(`\"`, `"`, `\\`, `\`)
)

// nndefacctsFacts reads nndefaccts' web-login fingerprints (GPL, facts):
// one product per fingerprint, of the categories of embedded devices
// (routers, security, storage, voip, printer, industrial, console); web
// applications and hypervisors are installed software, not devices.
func nndefacctsFacts(in inputs) ([]fact, error) {
	name := "nndefaccts/http-default-accounts-fingerprints-nndefaccts.lua"
	p, ok := in.path(name)
	if !ok {
		return nil, nil
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	s := string(b)
	var out []fact
	for _, m := range nnBlock.FindAllStringSubmatchIndex(s, -1) {
		product, category := s[m[2]:m[3]], s[m[4]:m[5]]
		if category == "web" || category == "virtualization" {
			continue
		}
		line := 1 + strings.Count(s[:m[0]], "\n")
		for _, c := range nnCombo.FindAllStringSubmatch(s[m[6]:m[7]], -1) {
			u, pw := luaUnescape.Replace(c[1]), luaUnescape.Replace(c[2])
			if u == "" {
				continue
			}
			out = append(out, fact{source: "nndefaccts", file: name, kind: attributed, vendor: vendorKey(product),
				username: u, password: pw, protocols: []string{"http"}, cite: fmt.Sprintf("%s:%d (facts)", name, line)})
		}
	}
	return out, nil
}

// writeFacts writes every fact (copies included) for the generalisation
// test: it measures how many of a held-out source's pairs a catalogue
// built without that source still reaches.
func writeFacts(path string, facts []fact) error {
	type jsonFact struct {
		Source    string   `json:"source"`
		File      string   `json:"file"`
		Kind      string   `json:"kind"`
		Vendor    string   `json:"vendor,omitempty"`
		Username  string   `json:"username"`
		Password  string   `json:"password"`
		Protocols []string `json:"protocols"`
		Weight    float64  `json:"weight,omitempty"`
	}
	kinds := [...]string{attributed: "attributed", weighted: "weighted", listed: "listed"}
	out := make([]jsonFact, 0, len(facts))
	for _, f := range facts {
		out = append(out, jsonFact{f.source, f.file, kinds[f.kind], f.vendor, f.username, f.password, f.protocols, f.weight})
	}
	b, err := json.Marshal(out)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
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

// allFacts reads every credential source the prevalence ranking uses.
func allFacts(in inputs) ([]fact, error) {
	readers := []func(inputs) ([]fact, error){defaultCredsFacts, routersploitFacts, changemeFacts,
		nndefacctsFacts, miraiFacts, cameradarFacts, rtspbruteFacts}
	var out []fact
	for _, r := range readers {
		fs, err := r(in)
		if err != nil {
			return nil, err
		}
		out = append(out, fs...)
	}
	return out, nil
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

// defaultCredsFacts reads every row of DefaultCreds-Cheat-Sheet (MIT) and
// the SecLists camera subset (MIT; a copy of DefaultCreds rows, see
// copies). Rows whose username is blank or "<N/A>" are password-only
// logins: no account to try on the surfaces camwarden guesses, so skipped.
func defaultCredsFacts(in inputs) ([]fact, error) {
	var out []fact
	for _, name := range []string{"defaultcreds-cheat-sheet/DefaultCreds-Cheat-Sheet.csv", "seclists/default-passwords.camera-dvr-subset.csv"} {
		p, ok := in.path(name)
		if !ok {
			continue
		}
		recs, err := readCSV(p)
		if err != nil {
			return nil, err
		}
		src, _, _ := strings.Cut(name, "/")
		for i, rec := range recs[1:] {
			if len(rec) < 3 {
				continue
			}
			protos, ok := loginSuffix(rec[0])
			u, okU := literal(rec[1])
			pw, okP := literal(rec[2])
			if !ok || !okU || !okP || u == "" {
				continue
			}
			out = append(out, fact{source: src, file: name, kind: attributed, vendor: vendorKey(rec[0]),
				username: u, password: pw, protocols: protos, cite: fmt.Sprintf("%s:%d", name, i+2)})
		}
	}
	return out, nil
}

// routersploitFacts reads OUR extraction of routersploit's camera modules
// (BSD; one vendor per module directory) and its defaults.txt dictionary.
func routersploitFacts(in inputs) ([]fact, error) {
	var out []fact
	name := "routersploit/camera-creds-modules.defaults.extracted.csv"
	if p, ok := in.path(name); ok {
		recs, err := readCSV(p)
		if err != nil {
			return nil, err
		}
		for i, rec := range recs[1:] {
			if len(rec) < 5 || rec[3] == "" {
				continue
			}
			proto := "http"
			for _, pr := range []string{"ftp", "ssh", "telnet"} {
				if strings.HasPrefix(rec[1], pr+"_") {
					proto = pr
				}
			}
			out = append(out, fact{source: "routersploit", file: name, kind: attributed, vendor: vendorKey(rec[0]),
				username: rec[3], password: rec[4], protocols: []string{proto}, cite: fmt.Sprintf("%s:%d", name, i+2)})
		}
	}
	list, err := listFacts(in, "routersploit/defaults.txt", []string{"telnet", "ssh", "ftp", "http"}, "")
	return append(out, list...), err
}

// listFacts reads a "user:pass" per line dictionary.
func listFacts(in inputs, name string, protocols []string, mark string) ([]fact, error) {
	p, ok := in.path(name)
	if !ok {
		return nil, nil
	}
	src, _, _ := strings.Cut(name, "/")
	var out []fact
	err := lines(p, func(n int, l string) {
		u, pw, ok := strings.Cut(l, ":")
		if ok && u != "" {
			out = append(out, fact{source: src, file: name, kind: listed, username: u, password: pw,
				protocols: protocols, cite: fmt.Sprintf("%s:%d%s", name, n, mark)})
		}
	})
	return out, err
}

func rtspbruteFacts(in inputs) ([]fact, error) {
	return listFacts(in, "rtspbrute/credentials.txt", []string{"rtsp"}, " (facts)")
}

// miraiFacts reads the decoded Mirai list with its weights (facts). Mirai
// attacked telnet; its pairs are the embedded-Linux accounts SSH serves too.
func miraiFacts(in inputs) ([]fact, error) {
	name := "mirai/mirai-scanner-credentials.csv"
	p, ok := in.path(name)
	if !ok {
		return nil, nil
	}
	recs, err := readCSV(p)
	if err != nil {
		return nil, err
	}
	var out []fact
	for i, rec := range recs[1:] {
		var w float64
		if _, err := fmt.Sscan(rec[2], &w); err != nil || w <= 0 {
			return nil, fmt.Errorf("%s:%d: weight %q", name, i+2, rec[2])
		}
		out = append(out, fact{source: "mirai", file: name, kind: weighted, username: rec[0], password: rec[1],
			protocols: []string{"telnet", "ssh"}, weight: w, cite: fmt.Sprintf("%s:%d (facts)", name, i+2)})
	}
	return out, nil
}

// cameradarFacts reads Cameradar's RTSP dictionary (MIT): every username
// with every password, as Cameradar tries them.
func cameradarFacts(in inputs) ([]fact, error) {
	name := "cameradar/credentials.json"
	p, ok := in.path(name)
	if !ok {
		return nil, nil
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	var c cameradar
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var out []fact
	for i, u := range c.Usernames {
		for j, pw := range c.Passwords {
			if u == "" {
				continue
			}
			out = append(out, fact{source: "cameradar", file: name, kind: listed, username: u, password: pw,
				protocols: cameraProtocols, cite: fmt.Sprintf("%s:usernames[%d]+passwords[%d]", name, i, j)})
		}
	}
	return out, nil
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

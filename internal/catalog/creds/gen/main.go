// Command gen derives internal/catalog/creds/data/creds.json from the
// public lists in ../shared/data and the hand-curated gen/curated.json:
//
//	go run ./internal/catalog/creds/gen -data ../shared/data -out internal/catalog/creds/data/creds.json
//
// Inputs and what is taken: DefaultCreds-Cheat-Sheet and the SecLists
// camera subset (MIT), routersploit's camera modules, defaults.txt and
// passwords.txt (BSD), cameradar's RTSP dictionary (MIT) are copied as
// entries with a file:line citation; the decoded Mirai list, rtspbrute
// (GPL), changeme (GPL), nndefaccts (GPL) and nmap's snmpcommunities.lst
// (NPSL) give facts only (username/password strings), marked "(facts)".
//
// The same sources, read whole (every vendor, not only the catalogue's),
// give the prevalence ranking for devices of unknown vendor
// (prevalence.go). -without SOURCE[,SOURCE] holds sources out, as if their
// directories were absent, and -facts FILE writes every source's pairs:
// the generalisation test measures with both how well a ranking built
// without a source reaches that source's defaults.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// generated is the date this generator's inputs were reviewed.
const generated = "2026-11-26"

type curatedCred struct {
	Vendor    string   `json:"vendor"`
	Model     string   `json:"model,omitempty"`
	Protocols []string `json:"protocols"`
	Username  string   `json:"username"`
	Password  string   `json:"password"`
	Name      string   `json:"name"`
	Tier      string   `json:"tier"`
	Priority  int      `json:"priority"`
	Sources   []string `json:"sources"`
}

type curated struct {
	Comment     string            `json:"_comment"`
	Vendors     []json.RawMessage `json:"vendors"`
	Credentials []curatedCred     `json:"credentials"`
	CommonAdmin []string          `json:"common_admin_passwords"`
	CommonTel   []struct {
		Username string `json:"username"`
		Password string `json:"password"`
	} `json:"common_telnet"`
	SNMPDefault []string `json:"snmp_default"`
}

// entry is a credential being assembled; curated entries keep their
// protocols, derived ones gain the protocols of later duplicate rows.
type entry struct {
	curatedCred
	curated bool
}

type builder struct {
	entries []*entry
	byKey   map[string]*entry
	cites   map[string][]string // vendor\x00user\x00pass -> citations
}

func key(vendor, user, pass string) string {
	return strings.ToLower(vendor) + "\x00" + user + "\x00" + pass
}

// cite records a citation for a pair without adding an entry.
func (b *builder) cite(r row) {
	k := key(r.vendor, r.username, r.password)
	if !slices.Contains(b.cites[k], r.source) {
		b.cites[k] = append(b.cites[k], r.source)
	}
}

// add inserts e, or merges it into the existing entry for the same pair.
func (b *builder) add(e *entry) {
	k := key(e.Vendor, e.Username, e.Password)
	if old, ok := b.byKey[k]; ok {
		for _, s := range e.Sources {
			if !slices.Contains(old.Sources, s) {
				old.Sources = append(old.Sources, s)
			}
		}
		if !old.curated {
			for _, p := range e.Protocols {
				if !slices.Contains(old.Protocols, p) {
					old.Protocols = append(old.Protocols, p)
				}
			}
		}
		return
	}
	e.Protocols = slices.Clone(e.Protocols)
	b.byKey[k] = e
	b.entries = append(b.entries, e)
}

func main() {
	data := flag.String("data", "../shared/data", "directory of the shared public data")
	cur := flag.String("curated", "internal/catalog/creds/gen/curated.json", "hand-curated facts")
	out := flag.String("out", "internal/catalog/creds/data/creds.json", "catalogue to write")
	without := flag.String("without", "", "comma-separated credential sources to hold out (generalisation test)")
	factsOut := flag.String("facts", "", "also write every source's pairs as JSON to this file (generalisation test)")
	flag.Parse()
	in, err := newInputs(*data, *without)
	if err == nil {
		err = run(in, *cur, *out, *factsOut)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(in inputs, curPath, out, factsOut string) error {
	raw, err := os.ReadFile(curPath)
	if err != nil {
		return err
	}
	var cu curated
	if err := json.Unmarshal(raw, &cu); err != nil {
		return fmt.Errorf("curated: %w", err)
	}
	b := &builder{byKey: map[string]*entry{}, cites: map[string][]string{}}
	src, err := readSources(in)
	if err != nil {
		return err
	}
	vrows, mrows := vendorRows(src.vendorLists), moduleRows(src.modules)
	mirai := pairRows(src.mirai, []string{"telnet"}, " (facts)")
	rsDefaults := pairRows(src.rsDefaults, []string{"telnet", "ssh", "ftp", "http"}, "")
	for _, r := range slices.Concat(vrows, mrows, mirai, rsDefaults) {
		b.cite(r)
	}
	pwSrc, pwOrder, err := passwordLines(in, "routersploit/passwords.txt")
	if err != nil {
		return err
	}
	cd := src.cameradar
	cdPass := map[string]int{}
	for i, p := range cd.Passwords {
		cdPass[p] = i
	}

	// 1. Hand-curated entries, with automatic citations added; with a
	// source held out, an entry whose only evidence it was goes too.
	for _, c := range cu.Credentials {
		c.Sources = slices.Concat(b.cites[key(c.Vendor, c.Username, c.Password)], c.Sources)
		if i, ok := cdPass[c.Password]; ok && c.Vendor == "" {
			c.Sources = append(c.Sources, fmt.Sprintf("%s:passwords[%d]", cameradarFile, i))
		}
		if s, ok := pwSrc[c.Password]; ok && c.Tier == "common" {
			c.Sources = append(c.Sources, s)
		}
		if i, ok := cdPass[c.Password]; ok && c.Tier == "common" && c.Vendor != "" {
			c.Sources = append(c.Sources, fmt.Sprintf("%s:passwords[%d]", cameradarFile, i))
		}
		if len(c.Sources) == 0 {
			continue
		}
		b.add(&entry{curatedCred: c, curated: true})
	}
	// 2. Other documented vendor defaults: common tier, after the curated.
	for i, r := range slices.Concat(vrows, mrows) {
		b.add(&entry{curatedCred: curatedCred{Vendor: r.vendor, Protocols: r.protocols, Username: r.username,
			Password: r.password, Name: fmt.Sprintf("%s documented default %s", r.vendor, userDesc(r.username)),
			Tier: "common", Priority: 100 + i, Sources: []string{r.source}}})
	}
	// 3. Generic common: Mirai's telnet pairs, the IoT telnet extras, the
	// ranked common camera passwords for admin.
	for i, r := range mirai {
		b.add(&entry{curatedCred: curatedCred{Protocols: r.protocols, Username: r.username, Password: r.password,
			Name: safeName(r.password, r.username, "", "Mirai telnet list: "+userDesc(r.username), "Mirai list: "+userDesc(r.username)), Tier: "common", Priority: 100 + i, Sources: []string{r.source}}})
	}
	for i, t := range cu.CommonTel {
		src := b.cites[key("", t.Username, t.Password)]
		if len(src) == 0 { // its only source is held out
			continue
		}
		b.add(&entry{curatedCred: curatedCred{Protocols: []string{"telnet", "ssh"}, Username: t.Username, Password: t.Password,
			Name: "IoT camera telnet account (routersploit list): " + userDesc(t.Username), Tier: "common", Priority: 200 + i, Sources: src}})
	}
	for i, p := range cu.CommonAdmin {
		var src []string
		if s, ok := pwSrc[p]; ok {
			src = append(src, s)
		}
		if j, ok := cdPass[p]; ok {
			src = append(src, fmt.Sprintf("%s:passwords[%d]", cameradarFile, j))
		}
		if len(src) == 0 { // its only source is held out
			continue
		}
		b.add(&entry{curatedCred: curatedCred{Protocols: cameraProtocols, Username: "admin", Password: p,
			Name: fmt.Sprintf("common weak admin login, rank %d", i+1), Tier: "common", Priority: 300 + i, Sources: src}})
	}
	// 4. Extended: routersploit defaults, cameradar (admin and root),
	// rtspbrute (facts).
	for i, r := range rsDefaults {
		b.add(&entry{curatedCred: curatedCred{Protocols: r.protocols, Username: r.username, Password: r.password,
			Name: safeName(r.password, r.username, "", "routersploit default list: "+userDesc(r.username), "RSF list: "+userDesc(r.username)), Tier: "extended", Priority: 1000 + i, Sources: []string{r.source}}})
	}
	for _, u := range []string{"admin", "root"} {
		ui := slices.Index(cd.Usernames, u)
		for j, p := range cd.Passwords {
			b.add(&entry{curatedCred: curatedCred{Protocols: cameraProtocols, Username: u, Password: p,
				Name: safeName(p, u, "", "cameradar RTSP dictionary: "+u, "Ullaakut RTSP list: "+u), Tier: "extended", Priority: 2000 + j,
				Sources: []string{fmt.Sprintf("%s:usernames[%d]+passwords[%d]", cameradarFile, ui, j)}}})
		}
	}
	rb := pairRows(src.rtspbrute, []string{"rtsp"}, " (facts)")
	for i, r := range rb {
		b.add(&entry{curatedCred: curatedCred{Protocols: r.protocols, Username: r.username, Password: r.password,
			Name: safeName(r.password, r.username, "", "rtspbrute RTSP dictionary: "+userDesc(r.username), "zorrobyte list: "+userDesc(r.username)), Tier: "extended", Priority: 3000 + i,
			Sources: []string{r.source}}})
	}
	comms, err := communities(in, cu.SNMPDefault)
	if err != nil {
		return err
	}
	weak := make([]map[string]string, 0, len(pwOrder))
	for _, p := range pwOrder {
		weak = append(weak, map[string]string{"password": p, "source": pwSrc[p]})
	}
	facts, err := allFacts(in, src)
	if err != nil {
		return err
	}
	if factsOut != "" {
		if err := writeFacts(factsOut, facts); err != nil {
			return err
		}
	}
	var ranks []ranking
	for _, g := range surfaceGroups {
		r, err := rank(facts, g)
		if err != nil {
			return err
		}
		ranks = append(ranks, r)
	}
	return write(out, cu, b.entries, comms, weak, ranks)
}

func userDesc(u string) string {
	if u == "" {
		return "(no username)"
	}
	return u
}

func write(out string, cu curated, entries []*entry, comms []map[string]any, weak []map[string]string, ranks []ranking) error {
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "{\n  \"schema\": \"camwarden.creds/1\",\n  \"generated\": %q,\n  \"vendors\": [\n", generated)
	for i, v := range cu.Vendors {
		var c bytes.Buffer
		if err := json.Compact(&c, v); err != nil {
			return err
		}
		fmt.Fprintf(&buf, "    %s%s\n", c.Bytes(), comma(i, len(cu.Vendors)))
	}
	buf.WriteString("  ],\n  \"credentials\": [\n")
	for i, e := range entries {
		line, err := json.Marshal(e.curatedCred)
		if err != nil {
			return err
		}
		fmt.Fprintf(&buf, "    %s%s\n", line, comma(i, len(entries)))
	}
	buf.WriteString("  ],\n  \"snmp_communities\": [\n")
	for i, c := range comms {
		line, _ := json.Marshal(c)
		fmt.Fprintf(&buf, "    %s%s\n", line, comma(i, len(comms)))
	}
	buf.WriteString("  ],\n  \"weak_passwords\": [\n")
	for i, w := range weak {
		line, _ := json.Marshal(w)
		fmt.Fprintf(&buf, "    %s%s\n", line, comma(i, len(weak)))
	}
	buf.WriteString("  ],\n  \"prevalence\": [\n")
	for i, r := range ranks {
		protos, _ := json.Marshal(r.Protocols)
		src, _ := json.Marshal(r.Sources)
		fmt.Fprintf(&buf, "    {\"protocols\": %s, \"sources\": %s, \"members\": %d, \"weighted\": %q, \"estimates\": %d, \"pairs\": [\n",
			protos, src, r.Members, r.Weighted, r.Estimates)
		for j, p := range r.Pairs {
			line, err := json.Marshal(p)
			if err != nil {
				return err
			}
			fmt.Fprintf(&buf, "      %s%s\n", line, comma(j, len(r.Pairs)))
		}
		fmt.Fprintf(&buf, "    ]}%s\n", comma(i, len(ranks)))
	}
	buf.WriteString("  ]\n}\n")
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	return os.WriteFile(out, buf.Bytes(), 0o644)
}

func comma(i, n int) string {
	if i < n-1 {
		return ","
	}
	return ""
}

// safeName returns the first candidate name that does not spell the
// secret (ignoring the username and vendor, as the catalogue's validation
// does); the last candidate must be neutral.
func safeName(secret, user, vendor string, candidates ...string) string {
	for _, n := range candidates {
		l := strings.ToLower(n)
		for _, s := range []string{user, vendor} {
			if s != "" {
				l = strings.ReplaceAll(l, strings.ToLower(s), " ")
			}
		}
		if len(secret) < 3 || !strings.Contains(l, strings.ToLower(secret)) {
			return n
		}
	}
	return candidates[len(candidates)-1]
}

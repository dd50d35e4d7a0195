package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// record is one username/password pair as a source file lists it. Each
// source file is read once, here; the catalogue's entries (rows.go) and
// the prevalence ranking's facts (facts.go) are both made from its
// records, each with its own rule of which records count.
type record struct {
	file     string // "dir/file" of the shared data
	line     int    // 1-based line of the file
	product  string // vendor/product column of a vendor list; "" in a dictionary
	protocol string // protocol the source names (routersploit's modules); "" otherwise
	username string
	password string
	weight   float64 // Mirai's selection weight; 0 otherwise
}

// source is the record's source: the directory of its file.
func (r record) source() string {
	dir, _, _ := strings.Cut(r.file, "/")
	return dir
}

// cite is the record's citation, "dir/file:line" and mark (" (facts)"
// for a source whose licence gives facts only).
func (r record) cite(mark string) string { return fmt.Sprintf("%s:%d%s", r.file, r.line, mark) }

// sourceRecords are the records of every source that both the catalogue
// and the prevalence ranking read.
type sourceRecords struct {
	vendorLists []record  // DefaultCreds-Cheat-Sheet and the SecLists camera subset (MIT)
	modules     []record  // OUR extraction of routersploit's camera modules (BSD)
	rsDefaults  []record  // routersploit's defaults.txt (BSD)
	rtspbrute   []record  // rtspbrute's dictionary (GPL, facts)
	mirai       []record  // the decoded Mirai list with its weights (facts)
	cameradar   cameradar // Cameradar's RTSP dictionary (MIT)
}

// readSources reads every source of sourceRecords once.
func readSources(in inputs) (sourceRecords, error) {
	var s sourceRecords
	var err error
	if s.vendorLists, err = vendorListRecords(in); err != nil {
		return s, err
	}
	if s.modules, err = moduleRecords(in); err != nil {
		return s, err
	}
	if s.rsDefaults, err = pairRecords(in, "routersploit/defaults.txt"); err != nil {
		return s, err
	}
	if s.rtspbrute, err = pairRecords(in, "rtspbrute/credentials.txt"); err != nil {
		return s, err
	}
	if s.mirai, err = miraiRecords(in); err != nil {
		return s, err
	}
	s.cameradar, err = readCameradar(in)
	return s, err
}

// literal turns a list's value into the literal string, rejecting
// descriptions such as "<create by default>" or "123 (or blank)".
func literal(s string) (string, bool) {
	switch strings.ToLower(s) {
	case "<blank>", "<n/a>":
		return "", true
	}
	if strings.ContainsAny(s, "<>()'\"") || strings.Contains(s, " button") || strings.Contains(s, "dont need") {
		return "", false
	}
	return s, true
}

func readCSV(path string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return recs, nil
}

// vendorListRecords reads the vendor/product lists: DefaultCreds-Cheat-Sheet
// and the SecLists camera subset (a copy of DefaultCreds rows, see
// copies). Values that describe rather than state a password are skipped
// (literal).
func vendorListRecords(in inputs) ([]record, error) {
	var out []record
	for _, name := range []string{"defaultcreds-cheat-sheet/DefaultCreds-Cheat-Sheet.csv", "seclists/default-passwords.camera-dvr-subset.csv"} {
		p, ok := in.path(name)
		if !ok {
			continue
		}
		recs, err := readCSV(p)
		if err != nil {
			return nil, err
		}
		for i, rec := range recs[1:] {
			if len(rec) < 3 {
				continue
			}
			u, okU := literal(rec[1])
			pw, okP := literal(rec[2])
			if !okU || !okP {
				continue
			}
			out = append(out, record{file: name, line: i + 2, product: rec[0], username: u, password: pw})
		}
	}
	return out, nil
}

// moduleRecords reads OUR extraction of routersploit's camera credential
// modules: one vendor per module directory, the protocol from the
// module's name (ftp_, ssh_, telnet_; HTTP otherwise).
func moduleRecords(in inputs) ([]record, error) {
	name := "routersploit/camera-creds-modules.defaults.extracted.csv"
	p, ok := in.path(name)
	if !ok {
		return nil, nil
	}
	recs, err := readCSV(p)
	if err != nil {
		return nil, err
	}
	var out []record
	for i, rec := range recs[1:] {
		if len(rec) < 5 {
			continue
		}
		proto := "http"
		for _, pr := range []string{"ftp", "ssh", "telnet"} {
			if strings.HasPrefix(rec[1], pr+"_") {
				proto = pr
			}
		}
		out = append(out, record{file: name, line: i + 2, product: rec[0], protocol: proto, username: rec[3], password: rec[4]})
	}
	return out, nil
}

// pairRecords reads a "user:pass" per line dictionary.
func pairRecords(in inputs, name string) ([]record, error) {
	p, ok := in.path(name)
	if !ok {
		return nil, nil
	}
	var out []record
	err := lines(p, func(n int, l string) {
		if u, pw, ok := strings.Cut(l, ":"); ok {
			out = append(out, record{file: name, line: n, username: u, password: pw})
		}
	})
	return out, err
}

// miraiRecords reads the 62 decoded Mirai pairs (facts) with their
// selection weights, weight-ordered.
func miraiRecords(in inputs) ([]record, error) {
	name := "mirai/mirai-scanner-credentials.csv"
	p, ok := in.path(name)
	if !ok {
		return nil, nil
	}
	recs, err := readCSV(p)
	if err != nil {
		return nil, err
	}
	var out []record
	for i, rec := range recs[1:] {
		var w float64
		if len(rec) < 3 {
			return nil, fmt.Errorf("%s:%d: want username, password, weight", name, i+2)
		}
		if _, err := fmt.Sscan(rec[2], &w); err != nil || w <= 0 {
			return nil, fmt.Errorf("%s:%d: weight %q", name, i+2, rec[2])
		}
		out = append(out, record{file: name, line: i + 2, username: rec[0], password: rec[1], weight: w})
	}
	return out, nil
}

// cameradarFile is Cameradar's RTSP dictionary (MIT).
const cameradarFile = "cameradar/credentials.json"

// cameradar is Cameradar's dictionary: every username is tried with
// every password.
type cameradar struct {
	Usernames []string `json:"usernames"`
	Passwords []string `json:"passwords"`
}

func readCameradar(in inputs) (cameradar, error) {
	var c cameradar
	p, ok := in.path(cameradarFile)
	if !ok {
		return c, nil
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("%s: %w", cameradarFile, err)
	}
	return c, nil
}

// lines reads a text file and calls fn with each non-empty,
// non-comment line and its 1-based number.
func lines(path string, fn func(n int, line string)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		l := strings.TrimRight(sc.Text(), "\r")
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		fn(n, l)
	}
	return sc.Err()
}

// passwordLines reads a one-password-per-line list keeping line numbers.
func passwordLines(in inputs, name string) (map[string]string, []string, error) {
	src := map[string]string{}
	var order []string
	p, ok := in.path(name)
	if !ok {
		return src, nil, nil
	}
	err := lines(p, func(n int, l string) {
		if _, dup := src[l]; !dup {
			src[l] = name + ":" + strconv.Itoa(n)
			order = append(order, l)
		}
	})
	return src, order, err
}

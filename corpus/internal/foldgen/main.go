// Command foldgen writes corpus/fold_table.go, the script and regional
// variant tables of corpus.Fold, from the dictionaries of OpenCC (Open
// Chinese Convert) as the Go port github.com/longbridgeapp/opencc ships them.
//
//	go generate ./corpus/
//
// It reads the port's configuration files and dictionaries from the module
// cache (the version go.mod requires) and never links the port into corpus:
// the port's loader takes ~55 ms and its converter runs at ~0.35 MiB/s, a
// tenth of the segmenter's speed, and it depends on a GPL-2.0 trie
// (github.com/liuzl/cedar-go). OpenCC's dictionaries are Apache-2.0 (see
// NOTICE).
//
// Two of OpenCC's conversions are folded into one table: tw2sp (Taiwan
// traditional to mainland simplified, with Taiwan vocabulary: 軟體 → 软件)
// and hk2s (Hong Kong traditional to simplified). Each key of their
// dictionaries becomes an entry whose value is what the conversion makes of
// the key alone, computed here exactly as the port computes it (one dictionary
// group after another, each taking the longest match of the first dictionary
// that matches). At run time corpus.Fold takes, at each position, the longest
// key of the table; the test of this package measures how far that single
// pass is from the port's two passes.
//
// A phrase is kept only when it contains a character that the table changes
// (a traditional character): then simplified text, which holds no such
// character, is never rewritten. This drops Taiwan words written with
// characters simplified text shares, such as 程式 → 程序 (it would turn the
// mainland 方程式 into 方程序) and 物件 → 对象. A phrase whose value is what
// folding its characters one by one gives anyway is dropped too; the test
// checks that this changes no result.
//
// The regional table lists, for the Taiwan and Hong Kong words whose value
// is another word than their characters folded one by one (檔案 → 文件, not
// 档案), that characterwise form and the value (档案 → 文件), so that the
// gazetteer can give a name such as 考克斯通讯 the form 考克斯通信 that its
// Taiwan spelling 考克斯通訊 folds to.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/format"
	"log"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// module is the Go port of OpenCC whose data the table is made from.
const module = "github.com/longbridgeapp/opencc"

// conversions are the OpenCC configurations folded into the table, in
// priority order: where they disagree on a key, the first wins.
var conversions = []string{"tw2sp", "hk2s"}

func main() {
	out := flag.String("o", "fold_table.go", "output Go file")
	dir := flag.String("dir", "", "directory of "+module+" (default: from go list -m)")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("foldgen: ")
	version := ""
	if *dir == "" {
		var err error
		*dir, version, err = moduleDir()
		if err != nil {
			log.Fatal(err)
		}
	}
	t, err := build(*dir)
	if err != nil {
		log.Fatal(err)
	}
	src, err := t.source(version)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		log.Fatal(err)
	}
	for _, c := range t.conflicts {
		log.Print("conflict ", c)
	}
	log.Printf("%s: %d characters, %d phrases, %d regional words (%d conflicts, first conversion kept; %d entries dropped that would rewrite simplified text)",
		*out, len(t.chars), len(t.phrases), len(t.regional), len(t.conflicts), t.dropped)
}

// moduleDir asks the go command where the required version of module is.
func moduleDir() (dir, version string, err error) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}} {{.Version}}", module).Output()
	if err != nil {
		return "", "", fmt.Errorf("go list -m %s: %w (run 'go mod download %s')", module, err, module)
	}
	f := strings.Fields(string(out))
	if len(f) != 2 {
		return "", "", fmt.Errorf("go list -m %s: unexpected output %q (run 'go mod download %s')", module, out, module)
	}
	return f[0], f[1], nil
}

// dict is one OpenCC dictionary: each key with its first (preferred) value.
type dict struct {
	name   string
	values map[string]string
	maxLen int // longest key, in runes
}

// group is a step of a conversion chain: dictionaries tried in order.
type group []*dict

// chain is a conversion: groups applied one after another.
type chain struct {
	name   string
	groups []group
}

// readDict reads an OpenCC text dictionary: "key<TAB>value [value...]" lines.
func readDict(path string) (*dict, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	d := &dict{name: filepath.Base(path), values: make(map[string]string)}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		k, v, ok := strings.Cut(line, "\t")
		vs := strings.Fields(v)
		if !ok || k == "" || len(vs) == 0 {
			return nil, fmt.Errorf("%s:%d: not key<TAB>value: %q", path, n, line)
		}
		if _, dup := d.values[k]; dup {
			continue // the port's trie keeps the first value too
		}
		d.values[k] = vs[0]
		d.maxLen = max(d.maxLen, utf8.RuneCountInString(k))
	}
	return d, sc.Err()
}

// config is the part of an OpenCC configuration file that matters here.
type config struct {
	Chain []struct {
		Dict dictConfig `json:"dict"`
	} `json:"conversion_chain"`
}

type dictConfig struct {
	Type  string       `json:"type"`
	File  string       `json:"file"`
	Dicts []dictConfig `json:"dicts"`
}

// readChain reads the configuration name.json of the port under dir.
func readChain(dir, name string, dicts map[string]*dict) (*chain, error) {
	path := filepath.Join(dir, "config", name+".json")
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var c config
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	ch := &chain{name: name}
	var add func(g *group, dc dictConfig) error
	add = func(g *group, dc dictConfig) error {
		switch dc.Type {
		case "group":
			for _, sub := range dc.Dicts {
				if err := add(g, sub); err != nil {
					return err
				}
			}
		case "ocd2", "txt":
			file := strings.TrimSuffix(strings.TrimSuffix(dc.File, ".ocd2"), ".txt") + ".txt"
			d, ok := dicts[file]
			if !ok {
				var err error
				if d, err = readDict(filepath.Join(dir, "dictionary", file)); err != nil {
					return err
				}
				dicts[file] = d
			}
			*g = append(*g, d)
		default:
			return fmt.Errorf("%s: dictionary type %q", path, dc.Type)
		}
		return nil
	}
	for _, step := range c.Chain {
		var g group
		if err := add(&g, step.Dict); err != nil {
			return nil, err
		}
		ch.groups = append(ch.groups, g)
	}
	if len(ch.groups) == 0 {
		return nil, fmt.Errorf("%s: no conversion chain", path)
	}
	return ch, nil
}

// window is how many runes the port looks at for a match.
const window = 10

// convert converts s as the port's OpenCC.Convert does.
func (c *chain) convert(s string) string {
	for _, g := range c.groups {
		r := []rune(s)
		var b strings.Builder
		for i := 0; i < len(r); {
			end := min(len(r), i+window)
			matched := false
			for _, d := range g {
				best := 0
				for l := min(end-i, d.maxLen); l >= 1; l-- {
					if v, ok := d.values[string(r[i:i+l])]; ok {
						b.WriteString(v)
						best = l
						break
					}
				}
				if best > 0 {
					i += best
					matched = true
					break
				}
			}
			if !matched {
				b.WriteRune(r[i])
				i++
			}
		}
		s = b.String()
	}
	return s
}

// table is what the generated file holds.
type table struct {
	chars     map[rune]rune     // one character to one character
	phrases   map[string]string // longer keys, or values of several characters
	regional  map[string]string // characterwise form of a regional word → its value
	conflicts []string
	dropped   int      // entries that would rewrite simplified text
	sources   []string // dictionary files read
}

// build reads the conversions under dir and makes the table.
func build(dir string) (*table, error) {
	dicts := make(map[string]*dict)
	var chains []*chain
	for _, name := range conversions {
		c, err := readChain(dir, name, dicts)
		if err != nil {
			return nil, err
		}
		chains = append(chains, c)
	}
	t := &table{chars: make(map[rune]rune), phrases: make(map[string]string), regional: make(map[string]string)}
	for name := range dicts {
		t.sources = append(t.sources, name)
	}
	slices.Sort(t.sources)
	values, keys := t.allKeys(chains)
	// Characters first: the phrase rules are judged against them.
	t.addChars(keys, values, tsCharacters(chains))
	t.addPhrases(keys, values)
	if err := t.protectValues(); err != nil {
		return nil, err
	}
	t.addRegional(chains)
	return t, nil
}

// allKeys returns every key of every dictionary, sorted, with its value
// by the first conversion that has it; t.conflicts lists the keys that
// conversions convert differently.
func (t *table) allKeys(chains []*chain) (values map[string]string, keys []string) {
	values = make(map[string]string)
	for _, c := range chains {
		for _, g := range c.groups {
			for _, d := range g {
				for k := range d.values {
					v := c.convert(k)
					if old, ok := values[k]; ok {
						if old != v {
							t.conflicts = append(t.conflicts, fmt.Sprintf("%s: %s → %s, %s → %s", k, conversions[0], old, c.name, v))
						}
						continue
					}
					values[k] = v
					keys = append(keys, k)
				}
			}
		}
	}
	slices.Sort(keys)
	slices.Sort(t.conflicts)
	t.conflicts = slices.Compact(t.conflicts)
	return values, keys
}

// tsCharacters returns the characters OpenCC converts from traditional to
// simplified.
func tsCharacters(chains []*chain) map[string]bool {
	tsChars := make(map[string]bool)
	for _, c := range chains {
		for _, g := range c.groups {
			for _, d := range g {
				if d.name == "TSCharacters.txt" {
					for k := range d.values {
						tsChars[k] = true
					}
				}
			}
		}
	}
	return tsChars
}

// addChars adds the one-character keys to t.chars (or, converted to more
// than one, to t.phrases), and follows chains to their end.
func (t *table) addChars(keys []string, values map[string]string, tsChars map[string]bool) {
	for _, k := range keys {
		v := values[k]
		if utf8.RuneCountInString(k) != 1 || v == k {
			continue
		}
		r, _ := utf8.DecodeRuneInString(k)
		if inGB2312(r) && (!tsChars[k] || utf8.RuneCountInString(v) > 1) {
			// Simplified text writes it: a regional variant (著 for 着,
			// 么 for 幺) or word (埠 → 端口) would rewrite 显著, 什么, 蚌埠.
			t.dropped++
			continue
		}
		if utf8.RuneCountInString(v) == 1 {
			vr, _ := utf8.DecodeRuneInString(v)
			t.chars[r] = vr
		} else {
			t.phrases[k] = v
		}
	}
	// Chains (薴 → 苧 → 苎) are followed to their end: Fold is one lookup.
	for r, v := range t.chars {
		for range 8 {
			w, ok := t.chars[v]
			if !ok || w == v {
				break
			}
			v = w
		}
		if v == r {
			delete(t.chars, r)
		} else {
			t.chars[r] = v
		}
	}
}

// charwise folds s character by character.
func (t *table) charwise(s string) string {
	return strings.Map(func(r rune) rune {
		if v, ok := t.chars[r]; ok {
			return v
		}
		return r
	}, s)
}

// addPhrases adds the keys of two or more characters whose value is not
// their characters folded.
func (t *table) addPhrases(keys []string, values map[string]string) {
	for _, k := range keys {
		v := values[k]
		if utf8.RuneCountInString(k) < 2 || k[0] < utf8.RuneSelf {
			continue // corpus.Fold looks up phrases at Han characters only (not "SQL隱碼攻擊")
		}
		cw := t.charwise(k)
		if v == cw {
			continue // nothing beyond characterwise folding
		}
		if !strings.ContainsFunc(k, func(r rune) bool { return !inGB2312(r) }) && v != k {
			// All of it could be simplified text (程式 in 方程式, 物件):
			// only a phrase that keeps simplified text as it is (乾隆,
			// against 乾 → 干) may apply.
			t.dropped++
			continue
		}
		t.phrases[k] = v
	}
}

// protectValues makes values fold to themselves, as simplified text does:
// where a value holds a character the table changes outside the phrase
// that protects it (乾清宮 → 乾清宫, but 乾 → 干), the value protects itself.
func (t *table) protectValues() error {
	for round := 0; ; round++ {
		added := 0
		for _, v := range slices.Sorted(maps.Values(t.phrases)) {
			if t.fold(v) != v {
				t.phrases[v] = v
				added++
			}
		}
		if added == 0 {
			return nil
		}
		if round == 10 {
			return fmt.Errorf("values still change after %d rounds of protection", round)
		}
	}
}

// addRegional adds the regional words: Taiwan and Hong Kong vocabulary
// whose value is not its characters folded (a script conversion keeps
// them).
func (t *table) addRegional(chains []*chain) {
	for _, c := range chains {
		for _, d := range c.groups[0] {
			for k := range d.values {
				v, ok := t.phrases[k]
				if !ok || utf8.RuneCountInString(k) < 2 {
					continue
				}
				cw := t.charwise(k)
				if cw == v || strings.ContainsFunc(cw, func(r rune) bool { return r < utf8.RuneSelf }) {
					continue
				}
				if _, dup := t.regional[cw]; !dup {
					t.regional[cw] = v
				}
			}
		}
	}
}

// fold folds s with the table as corpus.Fold does: at each character the
// longest phrase, else the character.
func (t *table) fold(s string) string {
	r := []rune(s)
	var b strings.Builder
	for i := 0; i < len(r); {
		matched := false
		if r[i] >= utf8.RuneSelf {
			for l := min(len(r)-i, window); l >= 1; l-- {
				if v, ok := t.phrases[string(r[i:i+l])]; ok {
					b.WriteString(v)
					i += l
					matched = true
					break
				}
			}
		}
		if !matched {
			if v, ok := t.chars[r[i]]; ok {
				b.WriteRune(v)
			} else {
				b.WriteRune(r[i])
			}
			i++
		}
	}
	return b.String()
}

// inGB2312 reports whether r is a character of GB 2312, the character set
// of everyday simplified Chinese: its two bytes in GBK are both 0xA1 or
// above.
func inGB2312(r rune) bool {
	if r < utf8.RuneSelf {
		return false
	}
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(string(r)))
	return err == nil && len(b) == 2 && b[0] >= 0xA1 && b[1] >= 0xA1
}

// source renders the table as Go.
func (t *table) source(version string) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by foldgen from the OpenCC dictionaries of %s %s; DO NOT EDIT.\n\n", module, version)
	fmt.Fprintf(&b, "// Conversions %s, dictionaries %s.\n// See internal/foldgen for what is kept.\n\n", strings.Join(conversions, " and "), strings.Join(t.sources, ", "))
	b.WriteString("package corpus\n\n")
	fmt.Fprintf(&b, "// openccVersion is the version of %s the tables come from.\nconst openccVersion = %q\n\n", module, version)

	chars := make([]rune, 0, len(t.chars))
	for r := range t.chars {
		chars = append(chars, r)
	}
	slices.Sort(chars)
	b.WriteString("// foldChars maps a traditional or variant character to its simplified\n// form, sorted by the character.\n")
	b.WriteString("var foldChars = [...]struct{ from, to rune }{\n")
	for _, r := range chars {
		fmt.Fprintf(&b, "\t{0x%04X, 0x%04X}, // %c → %c\n", r, t.chars[r], r, t.chars[r])
	}
	b.WriteString("}\n\n")

	writePairs := func(name, doc string, m map[string]string) {
		ks := make([]string, 0, len(m))
		for k := range m {
			ks = append(ks, k)
		}
		slices.Sort(ks)
		b.WriteString(doc)
		fmt.Fprintf(&b, "var %s = [...]struct{ from, to string }{\n", name)
		for _, k := range ks {
			fmt.Fprintf(&b, "\t{%q, %q},\n", k, m[k])
		}
		b.WriteString("}\n\n")
	}
	writePairs("foldPhrases", "// foldPhrases maps a phrase (or a character with a longer value) to its\n// simplified, mainland form, sorted by the phrase.\n", t.phrases)
	writePairs("foldRegional", "// foldRegional maps the characterwise simplified form of a Taiwan or Hong\n// Kong word to the value foldPhrases gives the word, sorted.\n", t.regional)
	return format.Source(b.Bytes())
}

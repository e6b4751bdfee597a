package index

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"slices"
	"strings"
	"testing"
)

// TestDictionaryLookups checks the dictionary's sorted indexes against maps
// built from the same file in the plainest way: every headword's glosses,
// every gloss's headwords (in the file's order) and every term's glosses.
func TestDictionaryLookups(t *testing.T) {
	d, err := cedict()
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(cedictGz))
	if err != nil {
		t.Fatal(err)
	}
	zh := map[string][]string{}
	en := map[string][]string{}
	byTerm := map[string][]string{}
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		head, ks := f[0], strings.Split(f[2], "|")
		zh[head] = strings.Split(f[1], "|")
		for _, k := range ks {
			if k == "" {
				continue
			}
			if _, seen := en[k]; !seen {
				for _, w := range strings.Fields(k) {
					byTerm[w] = append(byTerm[w], k)
				}
			}
			if !slices.Contains(en[k], head) {
				en[k] = append(en[k], head)
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(zh) != len(d.lines) || len(zh) < 80000 {
		t.Fatalf("%d headwords indexed, the file has %d", len(d.lines), len(zh))
	}
	for head, want := range zh {
		if got := d.glosses(head); !slices.Equal(got, want) {
			t.Fatalf("glosses(%q) = %q, want %q", head, got, want)
		}
	}
	for key, want := range en {
		if got := d.heads(key); !slices.Equal(got, want) {
			t.Fatalf("heads(%q) = %q, want %q", key, got, want)
		}
	}
	for term, want := range byTerm {
		got := keysWith(d, term)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("withTerm(%q) = %q, want %q", term, got, want)
		}
	}
	for _, absent := range []string{"", "zzzz", "不存在的词语", "\xff"} {
		if d.glosses(absent) != nil || d.heads(absent) != nil || len(d.withTerm(absent)) != 0 {
			t.Errorf("%q found", absent)
		}
	}
}

// TestDictionaryRefused: a damaged file is refused with its line.
func TestDictionaryRefused(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"铁幕\tiron curtain\tiron curtain\n科技\tscience and technology\n", "cedict.tsv.gz:2: want 3 fields"},
		{"铁幕\tiron curtain|curtain\tiron curtain\n", "cedict.tsv.gz:1: 2 glosses, 1 keys"},
		{"铁幕\tiron curtain\tiron curtain\n科技\ttechnology\ttechnolog\n", "cedict.tsv.gz:2: headword \"科技\" not after \"铁幕\""},
		{"科技\ttechnology\ttechnolog\n科技\ttechnology\ttechnolog\n", "cedict.tsv.gz:2: headword"},
	} {
		_, err := readDictionary(gzipped(t, c.text))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.text, err, c.want)
		}
	}
	d, err := readDictionary(gzipped(t, "科技\ttechnology|science and technology\ttechnolog|scienc technolog\n铁幕\tiron curtain\tiron curtain"))
	if err != nil {
		t.Fatal(err)
	}
	if got := d.glosses("铁幕"); !slices.Equal(got, []string{"iron curtain"}) {
		t.Errorf("last line without a newline: glosses %q", got)
	}
	if got := keysWith(d, "technolog"); len(got) != 2 {
		t.Errorf("withTerm(technolog) = %q, want both glosses", got)
	}
}

// keysWith lists the glosses that have term among their terms.
func keysWith(d *dictionary, term string) []string {
	var out []string
	for _, e := range d.withTerm(term) {
		out = append(out, d.en[e.key].key)
	}
	return out
}

func gzipped(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// BenchmarkDictionaryLoad reads CC-CEDICT as an index does when it opens
// (a cold start's first search waits for it), English indexes included.
func BenchmarkDictionaryLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		d, err := readDictionary(cedictGz)
		if err != nil {
			b.Fatal(err)
		}
		d.sortEnglish()
	}
}

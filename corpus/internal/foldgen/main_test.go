package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/longbridgeapp/opencc"

	"github.com/corpus-dev/corpus/bench"
)

// opencc.New reads the port's embedded copy of the same files this command
// reads from the module cache.

func testTable(t *testing.T) (*table, string, string) {
	t.Helper()
	dir, version, err := moduleDir()
	if err != nil {
		t.Skip(err)
	}
	tb, err := build(dir)
	if err != nil {
		t.Fatal(err)
	}
	return tb, dir, version
}

// TestGenerated checks that ../../fold_table.go is what this command writes
// from the version of the port go.mod requires.
func TestGenerated(t *testing.T) {
	tb, _, version := testTable(t)
	src, err := tb.source(version)
	if err != nil {
		t.Fatal(err)
	}
	have, err := os.ReadFile("../../fold_table.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(src, have) {
		t.Error("corpus/fold_table.go is not what foldgen generates: run go generate ./corpus/")
	}
}

// zhTW returns the translations of the machine's zh_TW gettext catalogues,
// real Taiwan text, or nil.
func zhTW(t *testing.T) []string {
	files, _ := filepath.Glob("/usr/share/locale/zh_TW/LC_MESSAGES/*.mo")
	var out []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		msgs, err := bench.ReadMO(data)
		if err != nil {
			t.Logf("%s: %v", f, err)
			continue
		}
		for _, m := range msgs {
			out = append(out, m.Str)
		}
	}
	return out
}

// TestChainMatchesPort checks that chain.convert, which computes the
// table's values, converts as the port's Convert does: every key of every
// dictionary, and the zh_TW catalogues of the machine when it has them.
func TestChainMatchesPort(t *testing.T) {
	dir, _, err := moduleDir()
	if err != nil {
		t.Skip(err)
	}
	texts := zhTW(t)
	for _, name := range conversions {
		port, err := opencc.New(name)
		if err != nil {
			t.Fatal(err)
		}
		ch, err := readChain(dir, name, map[string]*dict{})
		if err != nil {
			t.Fatal(err)
		}
		inputs := append([]string(nil), texts...)
		for _, g := range ch.groups {
			for _, d := range g {
				for k := range d.values {
					inputs = append(inputs, k)
				}
			}
		}
		bad := 0
		for _, in := range inputs {
			want, err := port.Convert(in)
			if err != nil {
				t.Fatal(err)
			}
			if got := ch.convert(in); got != want {
				if bad++; bad <= 10 {
					t.Errorf("%s: convert(%q) = %q, port gives %q", name, in, got, want)
				}
			}
		}
		t.Logf("%s: %d inputs (%d catalogue messages), %d differ from the port", name, len(inputs), len(texts), bad)
	}
}

// TestTableAgainstPort measures how far the table's single pass (what
// corpus.Fold does) is from the port's tw2sp on real Taiwan text. The
// differences are the entries dropped to leave simplified text alone (程式,
// 著, 么) and nothing else.
func TestTableAgainstPort(t *testing.T) {
	texts := zhTW(t)
	if len(texts) == 0 {
		t.Skip("no zh_TW catalogues in /usr/share/locale")
	}
	tb, dir, _ := testTable(t)
	ch, err := readChain(dir, "tw2sp", map[string]*dict{})
	if err != nil {
		t.Fatal(err)
	}
	// The table without its guard: every key of the chain, with its value.
	unguarded := &table{chars: map[rune]rune{}, phrases: map[string]string{}}
	for _, g := range ch.groups {
		for _, d := range g {
			for k := range d.values {
				unguarded.phrases[k] = ch.convert(k)
			}
		}
	}
	same, sameUnguarded := 0, 0
	for _, s := range texts {
		want := ch.convert(s)
		if tb.fold(s) == want {
			same++
		}
		if unguarded.fold(s) == want {
			sameUnguarded++
		}
	}
	t.Logf("%d zh_TW messages: the table folds %d (%.1f%%) exactly as the port's tw2sp; without the entries dropped for simplified text %d (%.1f%%)",
		len(texts), same, 100*float64(same)/float64(len(texts)), sameUnguarded, 100*float64(sameUnguarded)/float64(len(texts)))
	if sameUnguarded < len(texts)*99/100 {
		t.Errorf("the single pass differs from the port's two on %d of %d messages beyond the dropped entries", len(texts)-sameUnguarded, len(texts))
	}
}

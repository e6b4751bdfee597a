package index

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/corpus-dev/corpus/corpus"
)

// fakeLookup knows a few entities, like a tiny gazetteer.
type fakeLookup map[string]string

func (f fakeLookup) Lookup(s string) []corpus.Entity {
	if n, ok := f[strings.ToLower(s)]; ok {
		return []corpus.Entity{{Name: n}}
	}
	return nil
}

var testEntities = fakeLookup{
	"华为": "Huawei", "huawei": "Huawei", "ren zhengfei": "Ren Zhengfei",
	"byte beat": "ByteDance", "任正非": "Ren Zhengfei",
}

// fakeWords splits Chinese on a few known words, else per character.
func fakeWords(s string) []string {
	var out []string
	for s != "" {
		matched := false
		for _, w := range []string{"华为", "任正非", "公司", "美国"} {
			if strings.HasPrefix(s, w) {
				out = append(out, w)
				s = s[len(w):]
				matched = true
				break
			}
		}
		if !matched {
			_, n := utf8.DecodeRuneInString(s)
			out = append(out, s[:n])
			s = s[n:]
		}
	}
	return out
}

func TestParseQuery(t *testing.T) {
	w := func(text string, ents ...string) clause { return clause{Text: text, Entities: ents} }
	ph := func(text string, ents ...string) clause { return clause{Text: text, Phrase: true, Entities: ents} }
	for _, tc := range []struct {
		in   string
		want parsed
	}{
		{"", parsed{}},
		{"   ", parsed{}},
		{"huawei", parsed{Groups: [][]clause{{w("huawei", "Huawei")}}}},
		{"trade war", parsed{Groups: [][]clause{{w("trade")}, {w("war")}}}},
		{`"trade war" tiktok`, parsed{Groups: [][]clause{{ph("trade war")}, {w("tiktok")}}}},
		{`“科技铁幕”`, parsed{Groups: [][]clause{{ph("科技铁幕")}}}},
		{"huawei -cisco", parsed{Groups: [][]clause{{w("huawei", "Huawei")}}, Excluded: []clause{{Text: "cisco", Negate: true}}}},
		{`-"trade war" x`, parsed{Groups: [][]clause{{w("x")}}, Excluded: []clause{{Text: "trade war", Phrase: true, Negate: true}}}},
		{"cisco OR 3com", parsed{Groups: [][]clause{{w("cisco"), w("3com")}}}},
		{"OR cisco", parsed{Groups: [][]clause{{w("cisco")}}}},
		{"cisco OR", parsed{Groups: [][]clause{{w("cisco")}}}},
		{"cisco or 3com", parsed{Groups: [][]clause{{w("cisco")}, {w("or")}, {w("3com")}}}},
		{"Ren Zhengfei said", parsed{Groups: [][]clause{{ph("Ren Zhengfei", "Ren Zhengfei")}, {w("said")}}}},
		{"byte beat", parsed{Groups: [][]clause{{ph("byte beat", "ByteDance")}}}},
		{"华为公司", parsed{Groups: [][]clause{{w("华为", "Huawei")}, {w("公司")}}}},
		{"任正非的美国", parsed{Groups: [][]clause{{w("任正非", "Ren Zhengfei")}, {w("美国")}}}},
		{"a* /.*/ word~5", parsed{Groups: [][]clause{{w("a*")}, {w("word~5")}}}},
		{"*", parsed{}},
		{"- -- ---", parsed{}},
		{"huawei\x00tiktok", parsed{Groups: [][]clause{{w("huawei", "Huawei")}, {w("tiktok")}}}},
		{`"unterminated phrase`, parsed{Groups: [][]clause{{ph("unterminated phrase")}}}},
	} {
		got, err := parseQuery(tc.in, testEntities, fakeWords)
		if err != nil {
			t.Errorf("parseQuery(%q): %v", tc.in, err)
			continue
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("parseQuery(%q) (-want +got):\n%s", tc.in, diff)
		}
	}
}

func TestParseQueryLimits(t *testing.T) {
	for _, in := range []string{
		strings.Repeat("x", MaxQueryBytes+1),
		strings.Repeat("华", 16000),
		strings.Repeat("a ", MaxTerms+1),
		"bad \xff utf8",
	} {
		if _, err := parseQuery(in, testEntities, fakeWords); !errors.Is(err, ErrBadQuery) {
			t.Errorf("parseQuery(%.40q) error = %v, want ErrBadQuery", in, err)
		}
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"", "huawei", `"a b" -c OR d`, "华为公司", "*", "\xff", "-\"", "OR OR OR", "“」"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := parseQuery(s, testEntities, fakeWords)
		if err != nil {
			if !errors.Is(err, ErrBadQuery) {
				t.Fatalf("parseQuery(%q) error %v is not ErrBadQuery", s, err)
			}
			return
		}
		for _, g := range p.Groups {
			if len(g) == 0 {
				t.Fatalf("parseQuery(%q): empty group", s)
			}
			for _, c := range g {
				if c.Text == "" || c.Negate {
					t.Fatalf("parseQuery(%q): bad positive clause %+v", s, c)
				}
			}
		}
	})
}

package index

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

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

func TestParseQuery(t *testing.T) {
	w := func(text string, ents ...string) clause { return clause{Text: text, Entities: ents} }
	ph := func(text string, ents ...string) clause { return clause{Text: text, Kind: kindPhrase, Entities: ents} }
	han := func(text string, ents ...string) clause { return clause{Text: text, Kind: kindHan, Entities: ents} }
	pre := func(text string) clause { return clause{Text: text, Kind: kindPrefix} }
	for _, tc := range []struct {
		in   string
		want parsed
	}{
		{"", parsed{}},
		{"   ", parsed{}},
		{"huawei", parsed{Groups: [][]clause{{w("huawei", "Huawei")}}}},
		{"trade war", parsed{Groups: [][]clause{{w("trade")}, {w("war")}}}},
		{"the iron curtain", parsed{Groups: [][]clause{{w("the")}, {w("iron")}, {w("curtain")}}}},
		{`"trade war" tiktok`, parsed{Groups: [][]clause{{ph("trade war")}, {w("tiktok")}}}},
		{`“科技铁幕”`, parsed{Groups: [][]clause{{ph("科技铁幕")}}}},
		{"huawei -cisco", parsed{Groups: [][]clause{{w("huawei", "Huawei")}}, Excluded: []clause{{Text: "cisco", Negate: true}}}},
		{`-"trade war" x`, parsed{Groups: [][]clause{{w("x")}}, Excluded: []clause{{Text: "trade war", Kind: kindPhrase, Negate: true}}}},
		{"cisco OR 3com", parsed{Groups: [][]clause{{w("cisco"), w("3com")}}}},
		{"OR cisco", parsed{Groups: [][]clause{{w("cisco")}}}},
		{"cisco OR", parsed{Groups: [][]clause{{w("cisco")}}}},
		{"cisco or 3com", parsed{Groups: [][]clause{{w("cisco")}, {w("or")}, {w("3com")}}}},
		{"Ren Zhengfei said", parsed{Groups: [][]clause{{ph("Ren Zhengfei", "Ren Zhengfei")}, {w("said")}}}},
		{"byte beat", parsed{Groups: [][]clause{{ph("byte beat", "ByteDance")}}}},
		// An unspaced Chinese run is one operand, whatever its words.
		{"华为公司", parsed{Groups: [][]clause{{han("华为公司")}}}},
		{"华为，", parsed{Groups: [][]clause{{han("华为，", "Huawei")}}}},
		{"提交 OR 没有那个文件或目录", parsed{Groups: [][]clause{{han("提交"), han("没有那个文件或目录")}}}},
		{"任正非 OR 中美贸易", parsed{Groups: [][]clause{{han("任正非", "Ren Zhengfei"), han("中美贸易")}}}},
		{"-华为 美国", parsed{Groups: [][]clause{{han("美国")}}, Excluded: []clause{{Text: "华为", Kind: kindHan, Negate: true, Entities: []string{"Huawei"}}}}},
		{"tech* 美国*", parsed{Groups: [][]clause{{pre("tech")}, {han("美国")}}}},
		{"Tech**", parsed{Groups: [][]clause{{pre("tech")}}}},
		{"/.*/ word~5 *tech u.s*", parsed{Groups: [][]clause{{w("word~5")}, {w("*tech")}, {w("u.s*")}}}},
		{"*", parsed{}},
		{"- -- ---", parsed{}},
		{"huawei\x00tiktok", parsed{Groups: [][]clause{{w("huawei", "Huawei")}, {w("tiktok")}}}},
		{`"unterminated phrase`, parsed{Groups: [][]clause{{ph("unterminated phrase")}}}},
		// Repeated operands are searched once; an OR group is kept whole.
		{"war war -x -x", parsed{Groups: [][]clause{{w("war")}}, Excluded: []clause{{Text: "x", Negate: true}}}},
		{"war war OR peace", parsed{Groups: [][]clause{{w("war")}, {w("war"), w("peace")}}}},
	} {
		got, err := parseQuery(tc.in, testEntities)
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
		strings.Repeat("x", MaxQueryRunes+1),
		strings.Repeat("华", MaxQueryRunes+1),
		"bad \xff utf8",
		"a*",
		"华为 t*",
	} {
		if _, err := parseQuery(in, testEntities); !errors.Is(err, ErrBadQuery) {
			t.Errorf("parseQuery(%.40q) error = %v, want ErrBadQuery", in, err)
		}
	}
	// A whole sentence is a query; beyond MaxTerms distinct operands the
	// rest are listed, not searched.
	var words []string
	for i := range MaxTerms + 5 {
		words = append(words, fmt.Sprintf("w%d", i))
	}
	p, err := parseQuery(strings.Join(words, " "), testEntities)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Groups) != MaxTerms || !slices.Equal(p.Ignored, words[MaxTerms:]) {
		t.Errorf("%d words: %d groups, ignored %v; want %d groups, ignored %v", len(words), len(p.Groups), p.Ignored, MaxTerms, words[MaxTerms:])
	}
	if _, err := parseQuery(strings.Repeat("华", MaxQueryRunes), testEntities); err != nil {
		t.Errorf("%d Han characters: %v", MaxQueryRunes, err)
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"", "huawei", `"a b" -c OR d`, "华为公司", "*", "\xff", "-\"", "OR OR OR", "“」"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := parseQuery(s, testEntities)
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

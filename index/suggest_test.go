package index

import (
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/corpus-dev/corpus/corpus"
)

// TestSuggest completes prefixes in both languages and scripts, and checks
// every suggestion against the text: an entity is named by some passage, a
// word is written in some passage, as the suggestion writes it.
func TestSuggest(t *testing.T) {
	ix := testIndex(t)
	var texts []string
	for p := 1; ; p++ {
		r := find(t, ix, Query{Size: MaxSize, Page: p})
		for _, h := range r.Hits {
			texts = append(texts, searchText(&h.Passage, corpus.English)+"\n"+searchText(&h.Passage, corpus.Chinese))
		}
		if len(r.Hits) < MaxSize {
			break
		}
	}
	written := func(w string) bool {
		return slices.ContainsFunc(texts, func(s string) bool { return strings.Contains(strings.ToLower(s), strings.ToLower(w)) })
	}
	for _, tc := range []struct {
		prefix, first, other string
	}{
		{"华", "华为", "Huawei"},
		{"華", "华为", "Huawei"},
		{"Huaw", "Huawei", "华为"},
		{"huaw", "Huawei", "华为"},
		{"字节", "字节跳动", "ByteDance"},
		{"Byte", "ByteDance", "字节跳动"},
	} {
		got, err := ix.Suggest(t.Context(), tc.prefix, 8)
		if err != nil {
			t.Fatalf("Suggest(%q): %v", tc.prefix, err)
		}
		if len(got) == 0 || got[0].Text != tc.first || got[0].Other != tc.other || !got[0].Entity {
			t.Errorf("Suggest(%q) = %+v, want %s / %s first", tc.prefix, got, tc.first, tc.other)
		}
	}
	for _, prefix := range []string{"tech", "gov", "美", "compan", "s", "st"} {
		got, err := ix.Suggest(t.Context(), prefix, 8)
		if err != nil {
			t.Fatalf("Suggest(%q): %v", prefix, err)
		}
		if len(got) == 0 {
			t.Errorf("Suggest(%q) suggests nothing", prefix)
		}
		for _, sg := range got {
			if !strings.HasPrefix(fold(sg.Text), fold(prefix)) && !sg.Entity {
				t.Errorf("Suggest(%q) offers %q, which does not begin so", prefix, sg.Text)
			}
			if !sg.Entity && !written(sg.Text) {
				t.Errorf("Suggest(%q) offers %q, which no passage writes", prefix, sg.Text)
			}
			if sg.Count <= 0 {
				t.Errorf("Suggest(%q) offers %q with count %d", prefix, sg.Text, sg.Count)
			}
		}
		t.Logf("Suggest(%q) = %v", prefix, got)
	}
	for _, prefix := range []string{"", "   ", strings.Repeat("x", 100), "\xff", "zzzzqqq"} {
		if got, err := ix.Suggest(t.Context(), prefix, 8); err != nil || len(got) != 0 {
			t.Errorf("Suggest(%q) = %v, %v; want nothing", prefix, got, err)
		}
	}
}

func TestDidYouMean(t *testing.T) {
	ix := testIndex(t)
	for _, tc := range []struct{ q, want string }{
		{"Huawie", "Huawei"},
		{"huawie", "Huawei"},
		{"Bytedanse", "ByteDance"},
		{"Huawei", ""},
		{"Huawie technolgy", "Huawei technology"},
		{"华为", ""},
		{`"Huawie"`, ""},
		{"qqqqzzzzxxxx", ""},
	} {
		got, err := ix.DidYouMean(t.Context(), tc.q)
		if err != nil {
			t.Fatalf("DidYouMean(%q): %v", tc.q, err)
		}
		if got != tc.want {
			t.Errorf("DidYouMean(%q) = %q, want %q", tc.q, got, tc.want)
		}
		if got != "" && find(t, ix, Query{Text: got}).Total == 0 {
			t.Errorf("DidYouMean(%q) = %q, which finds nothing", tc.q, got)
		}
	}
}

func TestEditDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b  string
		limit int
		want  int
	}{
		{"huawie", "huawei", 2, 2}, {"kitten", "sitting", 3, 3}, {"kitten", "sitting", 2, 3},
		{"", "abc", 5, 3}, {"华为", "华", 2, 1}, {"same", "same", 1, 0},
	} {
		if got := editDistance(tc.a, tc.b, tc.limit); got != tc.want {
			t.Errorf("editDistance(%q, %q, %d) = %d, want %d", tc.a, tc.b, tc.limit, got, tc.want)
		}
	}
}

// TestSuggestTable checks the words ranked when the suggester is built
// against the same words found as a prefix is typed: for every prefix the
// table holds (made to hold every prefix of two terms or more), and the
// prefixes around them, both answer alike.
func TestSuggestTable(t *testing.T) {
	ix := testIndex(t)
	s, err := ix.suggesterOf()
	if err != nil {
		t.Fatal(err)
	}
	table, err := ix.buildWordTables(t.Context(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if busy, err := ix.buildWordTables(t.Context(), 1<<30); err != nil || len(busy[corpus.English])+len(busy[corpus.Chinese]) != 0 {
		t.Errorf("with no prefix busy enough, the tables hold %v, %v", busy, err)
	}
	var prefixes []string
	for _, words := range table {
		for p := range words {
			prefixes = append(prefixes, p, p+"e", p+"的")
		}
	}
	if len(table[corpus.English]) < 50 || len(table[corpus.Chinese]) < 50 {
		t.Fatalf("tables of %d English and %d Chinese prefixes, want more of each", len(table[corpus.English]), len(table[corpus.Chinese]))
	}
	slices.Sort(prefixes)
	for _, p := range prefixes {
		for _, n := range []int{1, MaxSuggestions} {
			want, err := ix.suggestWith(t.Context(), s, nil, p, n)
			if err != nil {
				t.Fatal(err)
			}
			got, err := ix.suggestWith(t.Context(), s, table, p, n)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Errorf("Suggest(%q, %d) from the table = %v, typed live = %v", p, n, got, want)
			}
		}
	}
}

// TestSuggestPossessive: the essay's machine translation writes "Huaweis"
// for "Huawei's". That word is no suggestion of its own: beside the entity
// Huawei it would say the same twice, and typed on its own it suggests the
// entity, whose search finds the passages that write it.
func TestSuggestPossessive(t *testing.T) {
	ix := testIndex(t)
	if find(t, ix, Query{Text: "Huaweis"}).Total == 0 {
		t.Fatal("no passage writes Huaweis: the test needs one")
	}
	s, err := ix.suggesterOf()
	if err != nil {
		t.Fatal(err)
	}
	entityKey := func(k string) bool {
		i := sort.Search(len(s.keys), func(i int) bool { return s.keys[i].key >= k })
		return i < len(s.keys) && s.keys[i].key == k
	}
	for _, prefix := range []string{"Hua", "Huaw", "huawei", "Huaweis", "Cis", "Tik", "Byte"} {
		got, err := ix.Suggest(t.Context(), prefix, MaxSuggestions)
		if err != nil {
			t.Fatalf("Suggest(%q): %v", prefix, err)
		}
		for _, sg := range got {
			if k, ok := strings.CutSuffix(fold(sg.Text), "s"); ok && !sg.Entity && entityKey(k) {
				t.Errorf("Suggest(%q) = %+v: offers %q, an entity's possessive without its apostrophe", prefix, got, sg.Text)
			}
		}
		if prefix == "Huaweis" && (len(got) == 0 || got[0].Text != "Huawei" || !got[0].Entity) {
			t.Errorf("Suggest(%q) = %+v, want the entity Huawei first", prefix, got)
		}
	}
}

// TestPossessiveNotPlural: a word is taken for an entity's possessive only
// when the entity's name is no English word as well, as the gazetteer
// marks it: "apples" and "oranges" are fruit, "Huaweis" is Huawei's.
func TestPossessiveNotPlural(t *testing.T) {
	s := &suggester{}
	for _, e := range []corpus.Entity{
		{Name: "Huawei", ZH: []string{"华为"}},
		{Name: "TikTok"},
		{Name: "Apple", Cased: []string{"Apple"}},
		{Name: "Orange", Ambiguous: []string{"Orange"}},
		{Name: "ByteDance", Aliases: []string{"byte"}, Weak: []string{"byte"}},
		{Name: "BAT"},
	} {
		s.add(e, 1)
	}
	for _, tc := range []struct {
		word string
		want string // "" for none
	}{
		{"Huaweis", "Huawei"}, {"huaweis", "Huawei"}, {"HUAWEIS", "Huawei"}, {"tiktoks", "TikTok"},
		{"apples", ""}, {"Apples", ""}, {"oranges", ""}, {"Oranges", ""}, {"bytes", ""},
		{"bats", ""}, {"Huawei", ""}, {"华为s", ""},
	} {
		got, ok := s.possessiveOf(Suggestion{Text: tc.word, Lang: corpus.English})
		if ok != (tc.want != "") || ok && got.Text != tc.want {
			t.Errorf("possessiveOf(%q) = %q, %v; want %q", tc.word, got.Text, ok, tc.want)
		}
	}
}

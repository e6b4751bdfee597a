package index

import (
	"slices"
	"strings"
	"testing"

	"github.com/corpus-dev/corpus/corpus"
)

// TestVariantsAreSearched builds passages with variants (a TMX unit's
// zh-TW segment, a PO message's context and plural) and finds each
// passage through each wording, with the variant shown in the hit.
func TestVariantsAreSearched(t *testing.T) {
	d := &corpus.Document{ID: "ui", Title: corpus.Text{EN: "ui", ZH: "ui"}, Origin: "test"}
	add := func(t corpus.Text, vs ...corpus.Variant) {
		i := len(d.Passages)
		d.Passages = append(d.Passages, corpus.Passage{ID: corpus.PassageID("ui", i), Doc: "ui", Position: i, Section: corpus.SectionBody, Text: t, Variants: vs})
	}
	add(corpus.Text{EN: "Open the file", ZH: "打开文件"}, corpus.Variant{Lang: corpus.Chinese, Label: "zh-TW", Text: "開啟檔案"})
	add(corpus.Text{EN: "Rotate", ZH: "旋转工具"}, corpus.Variant{Lang: corpus.English, Label: "msgctxt", Text: "tool"})
	add(corpus.Text{EN: "Rotate", ZH: "旋转"}, corpus.Variant{Lang: corpus.English, Label: "msgctxt", Text: "undo-type"})
	add(corpus.Text{EN: "%d layer", ZH: "%d 个图层"}, corpus.Variant{Lang: corpus.English, Label: "msgid_plural", Text: "%d layers"})
	ix := buildOpen(t, []*corpus.Document{d}, BuildOptions{})

	for _, c := range []struct {
		q    string
		want []string
		mark string // in a highlight of the hit, if any
	}{
		{"檔案", []string{"ui/p000"}, "zh-TW: 開啟<mark>檔案</mark>"},
		{"打开", []string{"ui/p000"}, ""},
		{"Rotate", []string{"ui/p001", "ui/p002"}, ""},
		{"tool", []string{"ui/p001"}, "msgctxt: <mark>tool</mark>"},
		{`"undo-type"`, []string{"ui/p002"}, ""},
		{"layers", []string{"ui/p003"}, ""},
	} {
		r := find(t, ix, Query{Text: c.q})
		if got := ids(r); !slices.Equal(got, c.want) {
			t.Errorf("Search(%q) = %v, want %v", c.q, got, c.want)
			continue
		}
		if c.mark == "" {
			continue
		}
		var all []string
		for _, h := range r.Hits {
			for _, fs := range h.Highlights {
				all = append(all, fs...)
			}
		}
		if !slices.ContainsFunc(all, func(f string) bool { return strings.Contains(f, c.mark) }) {
			t.Errorf("Search(%q) highlights %q, want one with %q", c.q, all, c.mark)
		}
	}
	pc, err := ix.Passage(t.Context(), "ui/p000")
	if err != nil {
		t.Fatal(err)
	}
	if want := d.Passages[0].Variants; !slices.Equal(pc.Passage.Variants, want) {
		t.Errorf("Passage(ui/p000).Variants = %v, want %v", pc.Passage.Variants, want)
	}
}

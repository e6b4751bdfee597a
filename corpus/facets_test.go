package corpus

import (
	"errors"
	"slices"
	"testing"
	"testing/fstest"
)

// TestFacetSettings: a folder's entities.yaml and a document's front matter
// switch facets off or narrow them (issue 13).
func TestFacetSettings(t *testing.T) {
	ui := fstest.MapFS{
		"entities.yaml": {Data: []byte("facets:\n  speakers: off\n  companies: [Huawei]\n")},
		"strings.txt":   {Data: []byte("Ren Zhengfei said: Huawei and ZTE will compete.\n")},
	}
	news := fstest.MapFS{
		"a.txt": {Data: []byte("Ren Zhengfei said: Huawei and ZTE will compete.\n")},
		"novel.md": {Data: []byte("---\ndate: 1993\nfacets:\n  relative-years: off\n---\n" +
			"今年，白嘉轩娶了第七房女人。1949年以后，村子变了。\n")},
		"essay.md": {Data: []byte("---\ndate: 1993\nwritten: 1988\n---\nThis year the village changed.\n")},
	}
	src, err := ReadSources(t.Context(), []Folder{{Name: "ui", FS: ui}, {Name: "news", FS: news}}, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(src.Errors) > 0 {
		t.Fatalf("errors: %v", src.Errors)
	}
	got := map[string]Passage{}
	for _, d := range src.Documents {
		got[d.ID] = d.Passages[0]
	}
	if p := got["strings"]; p.Speakers != nil || !slices.Equal(p.Companies, []string{"Huawei"}) {
		t.Errorf("ui folder: Speakers, Companies = %q, %q, want none, [Huawei]", p.Speakers, p.Companies)
	}
	if p := got["a"]; !slices.Equal(p.Speakers, []string{"Ren Zhengfei"}) || !slices.Equal(p.Companies, []string{"Huawei", "ZTE"}) {
		t.Errorf("news folder: Speakers, Companies = %q, %q, want [Ren Zhengfei], [Huawei ZTE]", p.Speakers, p.Companies)
	}
	if p := got["novel"]; !slices.Equal(p.Years, []int{1949}) {
		t.Errorf("novel with relative-years off: Years = %v, want [1949] (not the date's 1993)", p.Years)
	}
	if p := got["essay"]; !slices.Equal(p.Years, []int{1988}) {
		t.Errorf("essay written 1988, dated 1993: Years = %v, want [1988]", p.Years)
	}
}

func TestFacetSettingsErrors(t *testing.T) {
	for _, tt := range []struct{ file, data string }{
		{"entities.yaml", "facets:\n  speakers: maybe\n"},
		{"entities.yaml", "facets:\n  colour: off\n"},
		{"a.md", "---\nfacets: off\n---\nText.\n"},
		{"a.md", "---\nwritten: last year\n---\nText.\n"},
	} {
		fsys := fstest.MapFS{tt.file: {Data: []byte(tt.data)}, "b.txt": {Data: []byte("Text.\n")}}
		src, err := ReadSources(t.Context(), []Folder{{Name: "f", FS: fsys}}, ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var fe *FileError
		if len(src.Errors) == 0 || !errors.As(src.Errors[0], &fe) || fe.Line == 0 {
			t.Errorf("%s %q: errors %v, want a *FileError with a line", tt.file, tt.data, src.Errors)
		}
	}
}

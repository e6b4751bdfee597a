package index

import (
	"slices"
	"strings"
	"testing"

	"github.com/corpus-dev/corpus/corpus"
)

// foldDocs are passages in simplified and in traditional (Taiwan) Chinese,
// with user-interface strings carrying mnemonics, as a gettext catalogue
// has them.
var foldDocs = []struct{ id, en, zh string }{
	{"file-cn", "Save the file to disk", "请把文件保存到磁盘"},
	{"file-tw", "Save the file to the USB drive", "請把檔案存到隨身碟"},
	{"soft-cn", "Install software", "安装软件"},
	{"soft-tw", "Install the software", "安裝軟體"},
	{"lee-cn", "Kai-Fu Lee in Beijing", "李开复在北京"},
	{"lee-tw", "Kai-Fu Lee in Taipei", "李開復在台北"},
	{"open", "_Open", "打开(_O)"},
	{"save-as", "Save _As…", "另存为(&A)…"},
	{"pen", "O_pen the pen", "用笔"},
	{"memory", "Out of memory", "記憶體不足"},
}

func foldIndex(t *testing.T) *Index {
	t.Helper()
	d := &corpus.Document{ID: "fold", Title: corpus.Text{EN: "Fold", ZH: "折叠"}, Origin: "test"}
	for i, p := range foldDocs {
		d.Passages = append(d.Passages, corpus.Passage{
			ID: corpus.PassageID("fold", i), Doc: "fold", Position: i, Section: corpus.SectionBody,
			Text: corpus.Text{EN: p.en, ZH: p.zh},
		})
	}
	return buildOpen(t, []*corpus.Document{d}, BuildOptions{BatchSize: 10})
}

// foldHits returns the foldDocs ids a query finds.
func foldHits(t *testing.T, ix *Index, q Query) []string {
	t.Helper()
	var out []string
	for _, h := range find(t, ix, q).Hits {
		out = append(out, foldDocs[h.Passage.Position].id)
	}
	slices.Sort(out)
	return out
}

// TestFoldedSearch searches a real index in either script and through
// mnemonics: a traditional query finds the simplified passages and the
// other way round, Taiwan words find the mainland's.
func TestFoldedSearch(t *testing.T) {
	ix := foldIndex(t)
	tests := []struct {
		q    string
		lang corpus.Lang
		want []string
	}{
		{"檔案", corpus.Chinese, []string{"file-cn", "file-tw"}},
		{"文件", corpus.Chinese, []string{"file-cn", "file-tw"}},
		{"軟體", corpus.Chinese, []string{"soft-cn", "soft-tw"}},
		{"软件", corpus.Chinese, []string{"soft-cn", "soft-tw"}},
		{"安裝", corpus.Chinese, []string{"soft-cn", "soft-tw"}},
		{"李開復", corpus.Chinese, []string{"lee-cn", "lee-tw"}},
		{"李开复", corpus.Chinese, []string{"lee-cn", "lee-tw"}},
		{`"李開復在"`, corpus.Chinese, []string{"lee-cn", "lee-tw"}},
		{"内存不足", corpus.Chinese, []string{"memory"}},
		{"記憶體不足", corpus.Chinese, []string{"memory"}},
		{"打开", corpus.Chinese, []string{"open"}},
		{"另存为", corpus.Chinese, []string{"save-as"}},
		{"open", corpus.English, []string{"open", "pen"}},
		{"_Open", corpus.English, []string{"open", "pen"}},
		{"save", corpus.English, []string{"file-cn", "file-tw", "save-as"}},
		{"ＳＯＦＴＷＡＲＥ", corpus.English, []string{"soft-cn", "soft-tw"}},
	}
	for _, tt := range tests {
		if got := foldHits(t, ix, Query{Text: tt.q, Lang: tt.lang}); !slices.Equal(got, tt.want) {
			t.Errorf("%s (lang=%s) finds %v, want %v", tt.q, tt.lang, got, tt.want)
		}
	}
}

// TestFoldedHighlights checks that highlights mark the words as written.
func TestFoldedHighlights(t *testing.T) {
	ix := foldIndex(t)
	tests := []struct {
		q    string
		lang corpus.Lang
		id   string
		want string // in the highlight of that side
	}{
		{"Open", corpus.English, "open", "_<mark>Open</mark>"},
		{"Open", corpus.English, "pen", "<mark>O_pen</mark>"},
		{"打开", corpus.Chinese, "open", "<mark>打开</mark>(_O)"},
		{"文件", corpus.Chinese, "file-tw", "<mark>檔案</mark>"},
		{"李开复", corpus.Chinese, "lee-tw", "<mark>李開復</mark>"},
		{"内存不足", corpus.Chinese, "memory", "<mark>記憶體不足</mark>"},
	}
	for _, tt := range tests {
		r := find(t, ix, Query{Text: tt.q, Lang: tt.lang})
		found := false
		for _, h := range r.Hits {
			if foldDocs[h.Passage.Position].id != tt.id {
				continue
			}
			found = true
			if hl := strings.Join(h.Highlights[tt.lang], " "); !strings.Contains(hl, tt.want) {
				t.Errorf("%s: highlight of %s is %q, want %q in it", tt.q, tt.id, hl, tt.want)
			}
		}
		if !found {
			t.Errorf("%s does not find %s", tt.q, tt.id)
		}
	}
}

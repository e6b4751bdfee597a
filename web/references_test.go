package web

import (
	"fmt"
	"strings"
	"testing"

	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
)

// TestReferencesOnce: on a document of several pages, a reference shows
// with its passage, on that passage's page only, and the references whose
// passage the document lacks (or that name none) are listed once, on the
// last page (and on a passage's page that reaches the end), not on every
// page as before.
func TestReferencesOnce(t *testing.T) {
	const n = 450 // three pages of at most pagePassages
	d := &corpus.Document{ID: "refs", Title: corpus.Text{EN: "References across pages"}, Origin: "refs.md"}
	for i := range n {
		sec := corpus.SectionBody
		if i >= n-5 {
			sec = corpus.SectionReference
		}
		d.Passages = append(d.Passages, corpus.Passage{
			ID: corpus.PassageID(d.ID, i), Doc: d.ID, Position: i, Section: sec,
			Text: corpus.Text{EN: fmt.Sprintf("Passage number %d of a long document.", i), ZH: fmt.Sprintf("长文档的第%d段。", i)},
		})
	}
	d.References = []corpus.Reference{
		{Number: 1, Title: corpus.Text{EN: "On the first page"}, Publication: "PubFirstPage", Passage: corpus.PassageID(d.ID, 10)},
		{Number: 2, Title: corpus.Text{EN: "At the end"}, Publication: "PubLastPage", Passage: corpus.PassageID(d.ID, n-1)},
		{Number: 3, Title: corpus.Text{EN: "LooseTitle without a passage"}, Publication: "PubLoose"},
		{Number: 4, Title: corpus.Text{EN: "DanglingTitle of a passage not in the document"}, Publication: "PubDangling", Passage: corpus.PassageID(d.ID, n+50)},
	}
	dir := t.TempDir()
	gaz, err := corpus.DefaultGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := index.Build(t.Context(), dir, []*corpus.Document{d}, gaz, index.BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	live, err := index.OpenLive(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { live.Close() })
	ts := realServer(t, live, 0)
	ctx := budget(t)

	count := map[string]int{} // marker -> pages showing it
	lists := 0
	var pages []string
	for from := 0; from < n; {
		body := get(t, ctx, fmt.Sprintf("%s/documents/refs?from=%d", ts.URL, from))
		pages = append(pages, body)
		for _, m := range []string{"PubFirstPage", "PubLastPage", "LooseTitle", "DanglingTitle"} {
			if strings.Contains(body, m) {
				count[m]++
			}
		}
		lists += strings.Count(body, `<ol class="refs">`)
		rows := strings.Count(body, `<a class="pnum"`)
		if rows == 0 {
			t.Fatalf("page from %d shows no passage", from)
		}
		from += rows
	}
	if len(pages) < 3 {
		t.Fatalf("%d pages, want at least 3", len(pages))
	}
	for m, want := range map[string]int{"PubFirstPage": 1, "PubLastPage": 1, "LooseTitle": 1, "DanglingTitle": 1} {
		if count[m] != want {
			t.Errorf("%s shows on %d pages, want %d", m, count[m], want)
		}
	}
	if lists != 1 {
		t.Errorf("the list of references without a passage shows %d times over %d pages, want once", lists, len(pages))
	}
	last := pages[len(pages)-1]
	if !strings.Contains(last, "LooseTitle") || !strings.Contains(last, "DanglingTitle") || !strings.Contains(last, "PubLastPage") {
		t.Error("the last page lacks the references without a passage or the last passage's reference")
	}
	if !strings.Contains(pages[0], "PubFirstPage") {
		t.Error("the first page lacks the reference of its passage 10")
	}
	// A passage's page: in the middle no list, at the end the list.
	mid := get(t, ctx, ts.URL+"/passages/refs/p100")
	end := get(t, ctx, ts.URL+fmt.Sprintf("/passages/refs/p%03d", n-1))
	if strings.Contains(mid, `<ol class="refs">`) || strings.Contains(mid, "PubFirstPage") {
		t.Error("the page of passage 100 shows references of other pages")
	}
	if strings.Count(end, `<ol class="refs">`) != 1 || !strings.Contains(end, "LooseTitle") {
		t.Error("the page of the last passage lacks the references without a passage")
	}
	t.Logf("%d pages; references on %v; lists of references without a passage: %d", len(pages), count, lists)
}

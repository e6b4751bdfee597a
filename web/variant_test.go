package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/corpus-dev/corpus/corpus"
)

// TestDocumentShowsVariants: a passage's variants (a TMX unit's zh-TW
// segment, a PO message's context) appear on the document's page after
// their side, labelled, in the language the label names, and in the API.
func TestDocumentShowsVariants(t *testing.T) {
	f := &fakeSearcher{docs: []corpus.Document{{
		ID: "ui", Title: corpus.Text{EN: "ui", ZH: "ui"},
		Passages: []corpus.Passage{
			{ID: "ui/p000", Doc: "ui", Position: 0, Section: corpus.SectionBody, Text: corpus.Text{EN: "Open the file", ZH: "打开文件"},
				Variants: []corpus.Variant{{Lang: corpus.Chinese, Label: "zh-TW", Text: "開啟檔案"}}},
			{ID: "ui/p001", Doc: "ui", Position: 1, Section: corpus.SectionBody, Text: corpus.Text{EN: "Rotate", ZH: "旋转"},
				Variants: []corpus.Variant{{Lang: corpus.English, Label: "msgctxt", Text: "undo-type"}}},
		},
	}}, labels: testLabels()}
	ts := newTestServer(t, f, 0)
	api := ts.get(t, "/api/passages/ui/p000")
	if want := `"variants":[{"lang":"zh","label":"zh-TW","text":"開啟檔案"}]`; api.Code != http.StatusOK || !strings.Contains(api.Body.String(), want) {
		t.Errorf("GET /api/passages/ui/p000: %d %s, want %s", api.Code, api.Body, want)
	}
	rec := ts.get(t, "/documents/ui")
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /documents/ui: %d\n%s", rec.Code, rec.Body)
	}
	body := rec.Body.String()
	for _, want := range []string{
		`<p class="variant" lang="zh-TW"><span class="variant-label" lang="en">zh-TW</span> 開啟檔案</p>`,
		`<p class="variant" lang="en"><span class="variant-label" lang="en">msgctxt</span> undo-type</p>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("GET /documents/ui lacks %s", want)
		}
	}
}

package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/corpus-dev/corpus/index"
)

// TestExamplesFindSomething: every query the UI offers as an example (the
// home page's, the search box's hint in each language) finds passages in
// the corpus shipped with the program, the embedded essay.
func TestExamplesFindSomething(t *testing.T) {
	live := openEssay(t)
	qs := append([]string(nil), exampleQueries...)
	for _, lang := range uiLangs {
		b, err := os.ReadFile("i18n/" + lang + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var cat map[string]string
		if err := json.Unmarshal(b, &cat); err != nil {
			t.Fatal(err)
		}
		// "华为, Huawei, \"iron curtain\"…": the hint's queries.
		for _, q := range regexp.MustCompile(`\s*[,、]\s*|…`).Split(cat["search.placeholder"], -1) {
			if q != "" {
				qs = append(qs, q)
			}
		}
	}
	for _, q := range qs {
		r, err := live.Search(t.Context(), index.Query{Text: q})
		if err != nil {
			t.Errorf("Search(%q): %v", q, err)
			continue
		}
		if r.Total == 0 {
			t.Errorf("the example %q finds nothing in the essay", q)
		}
	}
}

// TestQueryNotes: a prefix that begins more words than are searched, and
// a paste of more operands than are searched, say so on the page and in
// the JSON answer.
func TestQueryNotes(t *testing.T) {
	// The essay has no two letters that begin more than MaxExpansions
	// words (the index's tests find Capped on a larger corpus): here the
	// real answer gets its Capped from a wrapper, to check what the
	// pages make of it.
	h, err := New(Config{Searcher: cappedSearcher{openEssay(t)}, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	var many []string
	for i := range index.MaxTerms + 2 {
		many = append(many, fmt.Sprintf("w%d", i))
	}
	for _, tc := range []struct{ target, want string }{
		{"/search?q=co*", fmt.Sprintf("Only the first %d words beginning with co* were searched.", index.MaxExpansions)},
		{"/api/search?q=co*", `"capped":["co"]`},
		{"/search?q=" + strings.Join(many, "+"), fmt.Sprintf("Only the first %d words and phrases were searched; not: w%d w%d", index.MaxTerms, index.MaxTerms, index.MaxTerms+1)},
		{"/api/search?q=" + strings.Join(many, "+"), fmt.Sprintf(`"ignored":["w%d","w%d"]`, index.MaxTerms, index.MaxTerms+1)},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", tc.target, nil))
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), tc.want) {
			t.Errorf("GET %s: status %d, body lacks %q", tc.target, rec.Code, tc.want)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/search?q=technology", nil))
	if strings.Contains(rec.Body.String(), `class="query-note"`) {
		t.Error("GET /search?q=technology: a note on a query searched in full")
	}
}

// cappedSearcher answers as its Searcher does, with every prefix of the
// query listed in Results.Capped.
type cappedSearcher struct{ Searcher }

func (c cappedSearcher) Search(ctx context.Context, q index.Query) (*index.Results, error) {
	r, err := c.Searcher.Search(ctx, q)
	if err != nil {
		return nil, err
	}
	cp := *r
	for w := range strings.FieldsSeq(q.Text) {
		if p, ok := strings.CutSuffix(w, "*"); ok {
			cp.Capped = append(cp.Capped, p)
		}
	}
	return &cp, nil
}

package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
)

// failingInfo answers searches but fails every document lookup with err.
type failingInfo struct {
	*fakeSearcher
	err error
}

func (f failingInfo) DocumentInfo(ctx context.Context, id string) (index.DocumentInfo, error) {
	return index.DocumentInfo{}, f.err
}

// TestTitleLookupFailures: a page whose documents' titles are gone labels
// them by ID; one whose title lookups fail otherwise fails with them,
// rather than show IDs as if the documents had no titles.
func TestTitleLookupFailures(t *testing.T) {
	fake := newFake()
	doc := fake.docs[0].ID
	for _, tc := range []struct {
		name string
		err  error
		code int
	}{
		{"gone", fmt.Errorf("document %q: %w", doc, corpus.ErrNotFound), http.StatusOK},
		{"failing", errors.New("index closed"), http.StatusInternalServerError},
	} {
		_, e, err := newServer(Config{Searcher: failingInfo{fake, tc.err}})
		if err != nil {
			t.Fatal(err)
		}
		for _, target := range []string{"/search?q=Huawei", "/search?q=Huawei&doc=" + doc, "/concordance?q=Huawei"} {
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
			if rec.Code != tc.code {
				t.Errorf("%s: GET %s: status %d, want %d", tc.name, target, rec.Code, tc.code)
			}
			if tc.code == http.StatusOK && !strings.Contains(rec.Body.String(), doc) {
				t.Errorf("%s: GET %s: the document's ID is not its label", tc.name, target)
			}
		}
	}
}

package index

import (
	"context"
	"encoding/binary"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// TestHeldShould: a conjunction advances a boolean clause to a passage its
// should searcher already stands on. Documents 0–7 in this order, x on 0
// and 5, a on 0, 2, 3 and 5, b on 5 and 7; in x AND (a, should b), passage
// 5 must score its b. bleve's own should searcher steps past it
// (heldShould says how); held, it does not.
func TestHeldShould(t *testing.T) {
	fields := []map[string]string{
		{"x": "y", "a": "y"}, {"z": "y"}, {"a": "y"}, {"a": "y"},
		{"z": "y"}, {"x": "y", "a": "y", "b": "y"}, {"z": "y"}, {"b": "y"},
	}
	m := mapping.NewIndexMapping()
	m.DefaultAnalyzer = "keyword"
	bi, err := bleve.New(filepath.Join(t.TempDir(), "b"), m)
	if err != nil {
		t.Fatal(err)
	}
	defer bi.Close()
	// One batch per document, merged: internal numbers in this order.
	for i, f := range fields {
		b := bi.NewBatch()
		if err := b.Index(fmt.Sprint(i), f); err != nil {
			t.Fatal(err)
		}
		if err := bi.Batch(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := mergeToOne(t.Context(), bi); err != nil {
		t.Fatal(err)
	}
	r, err := readerOf(bi)
	if err != nil {
		t.Fatal(err)
	}
	for n := range uint64(len(fields)) {
		if ext, err := r.ExternalID(binary.BigEndian.AppendUint64(nil, n)); err != nil || ext != fmt.Sprint(n) {
			t.Fatalf("document number %d is %q (%v): the test needs them in order", n, ext, err)
		}
	}
	r.Close()

	term := func(f string) query.Query { return termQ(f, "y") }
	for _, held := range []bool{false, true} {
		b := bleve.NewBooleanQuery()
		b.AddMust(term("a"))
		b.AddShould(term("b"))
		if held {
			holdShould(b)
		}
		req := bleve.NewSearchRequest(bleve.NewConjunctionQuery(term("x"), b))
		req.Explain = true
		res, err := bi.SearchInContext(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, h := range res.Hits {
			got[h.ID] = explains(h.Expl, "weight(b:y")
		}
		if len(got) != 2 || got["0"] {
			t.Fatalf("held %v: hits %v, want 0 and 5, 0 without b", held, got)
		}
		switch {
		case held && !got["5"]:
			t.Error("held: passage 5 lost its should clause")
		case !held && got["5"]:
			t.Error("bleve's own boolean searcher now scores passage 5's should clause: heldShould can go")
		}
	}
}

// explains reports whether e or one of its parts has a message with s.
func explains(e *search.Explanation, s string) bool {
	if e == nil {
		return false
	}
	if strings.Contains(e.Message, s) {
		return true
	}
	for _, c := range e.Children {
		if explains(c, s) {
			return true
		}
	}
	return false
}

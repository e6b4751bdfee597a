package index

import (
	"errors"
	"fmt"
	"testing"

	"github.com/corpus-dev/corpus/corpus"
)

// TestLongDocumentIsWhole builds a document of more passages than one read
// fetches (and than the 20,000 a document request was once cut at) and
// reads it back whole and in ranges.
func TestLongDocumentIsWhole(t *testing.T) {
	const n = 2*documentChunk + 123
	d := &corpus.Document{ID: "long", Title: corpus.Text{EN: "Long", ZH: "长"}, Origin: "test"}
	for i := range n {
		d.Passages = append(d.Passages, corpus.Passage{
			ID: corpus.PassageID("long", i), Doc: "long", Position: i, Section: corpus.SectionBody,
			Text: corpus.Text{EN: fmt.Sprintf("unit %d", i), ZH: fmt.Sprintf("单元%d", i)},
		})
	}
	ix := buildOpen(t, []*corpus.Document{d}, BuildOptions{BatchSize: 2000})

	got, err := ix.Document(t.Context(), "long")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Passages) != n {
		t.Fatalf("Document(long) has %d passages, want %d", len(got.Passages), n)
	}
	for i, p := range got.Passages {
		if p.Position != i || p.Text != d.Passages[i].Text {
			t.Fatalf("Document(long).Passages[%d] = %d %+v, want %d %+v", i, p.Position, p.Text, i, d.Passages[i].Text)
		}
	}

	for _, c := range []struct{ from, to, want int }{
		{0, 10, 10}, {n - 5, n, 5}, {n - 5, n + 100, 5}, {n, n + 10, 0}, {7, 7, 0}, {documentChunk - 1, documentChunk + 2, 3},
	} {
		ps, err := ix.DocumentPassages(t.Context(), "long", c.from, c.to)
		if err != nil {
			t.Fatalf("DocumentPassages(long, %d, %d): %v", c.from, c.to, err)
		}
		if len(ps) != c.want {
			t.Errorf("DocumentPassages(long, %d, %d) = %d passages, want %d", c.from, c.to, len(ps), c.want)
			continue
		}
		for i, p := range ps {
			if p.Position != c.from+i {
				t.Errorf("DocumentPassages(long, %d, %d)[%d] at position %d, want %d", c.from, c.to, i, p.Position, c.from+i)
			}
		}
	}
	if _, err := ix.DocumentPassages(t.Context(), "long", 5, 2); !errors.Is(err, ErrBadQuery) {
		t.Errorf("DocumentPassages(long, 5, 2) error = %v, want ErrBadQuery", err)
	}
	if _, err := ix.DocumentPassages(t.Context(), "nope", 0, 2); !errors.Is(err, corpus.ErrNotFound) {
		t.Errorf("DocumentPassages(nope, 0, 2) error = %v, want ErrNotFound", err)
	}
}

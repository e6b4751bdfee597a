package index

import (
	"math"
	"path/filepath"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"testing"

	"github.com/corpus-dev/corpus/corpus"
)

// TestBuildLeavesOneSegment: a build of many batches (each a segment of its
// own) ends with its segments merged into one, and the merged index
// answers as the essay's index of one batch does.
func TestBuildLeavesOneSegment(t *testing.T) {
	doc, err := corpus.Essay()
	if err != nil {
		t.Fatal(err)
	}
	gaz, err := corpus.DefaultGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	st, err := Build(t.Context(), dir, []*corpus.Document{doc}, gaz, BuildOptions{BatchSize: 3})
	if err != nil {
		t.Fatal(err)
	}
	ix, err := Open(filepath.Join(dir, st.Generation))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	// The segments the opened index searches.
	idx, err := ix.bi.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	sc, ok := idx.(*scorch.Scorch)
	if !ok {
		t.Fatalf("index is a %T", idx)
	}
	if n, err := segmentCount(sc); err != nil || n != 1 {
		t.Errorf("%d segments (%v) after a build of %d batches, want 1", n, err, (len(doc.Passages)+2)/3)
	}
	// And no other segment file lies beside it: the ones the merge
	// replaced are gone, and the manifest lists only what is read.
	zaps, err := filepath.Glob(filepath.Join(dir, st.Generation, bleveDir, "store", "*.zap"))
	if err != nil || len(zaps) != 1 {
		t.Errorf("segment files on disk: %q (%v), want the one searched", zaps, err)
	}
	for _, q := range []string{"华为", `"iron curtain"`, "market", "美国政府"} {
		got, want := find(t, ix, Query{Text: q}), find(t, testIndex(t), Query{Text: q})
		if got.Total != want.Total || len(got.Hits) != len(want.Hits) {
			t.Errorf("%s: %d hits (%d shown), the index of one batch has %d (%d)", q, got.Total, len(got.Hits), want.Total, len(want.Hits))
			continue
		}
		for i := range got.Hits {
			if got.Hits[i].Passage.ID != want.Hits[i].Passage.ID {
				t.Errorf("%s: hit %d is %s, the index of one batch has %s", q, i, got.Hits[i].Passage.ID, want.Hits[i].Passage.ID)
			}
		}
	}
}

// TestScoresAreFinite: every hit of a one-character, a two-character and a
// longer Chinese search, and of an English one, has a finite positive
// score (a field indexed without frequencies and norms scored NaN, which
// the JSON encoder refuses).
func TestScoresAreFinite(t *testing.T) {
	ix := testIndex(t)
	for _, q := range []string{"华", "的", "华为", "美国政府", "market"} {
		r := find(t, ix, Query{Text: q})
		if len(r.Hits) == 0 {
			t.Errorf("%s: no hits", q)
		}
		for _, h := range r.Hits {
			if math.IsNaN(h.Score) || math.IsInf(h.Score, 0) || h.Score <= 0 {
				t.Errorf("%s: %s scores %v", q, h.Passage.ID, h.Score)
			}
		}
	}
}

package index

import (
	"path/filepath"
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
	zaps, err := filepath.Glob(filepath.Join(dir, st.Generation, bleveDir, "store", "*.zap"))
	if err != nil {
		t.Fatal(err)
	}
	if len(zaps) != 1 {
		t.Errorf("%d segments after a build of %d batches, want 1: %v", len(zaps), (len(doc.Passages)+2)/3, zaps)
	}
	ix, err := Open(filepath.Join(dir, st.Generation))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
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

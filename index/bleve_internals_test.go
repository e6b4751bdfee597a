package index

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
)

// reviewedBleve are the versions whose internals bleve_internals.go was
// checked against. Change them only after re-checking that file's list.
var reviewedBleve = map[string]string{
	"github.com/blevesearch/bleve/v2":        "v2.6.3",
	"github.com/blevesearch/bleve_index_api": "v1.4.1",
	"github.com/blevesearch/zapx/v15":        "v15.4.3",
	"github.com/blevesearch/zapx/v16":        "v16.3.4",
	"github.com/blevesearch/zapx/v17":        "v17.2.5",
}

func TestBleveVersionsReviewed(t *testing.T) {
	b, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	required := map[string]string{}
	for line := range strings.Lines(string(b)) {
		if f := strings.Fields(strings.TrimPrefix(strings.TrimSpace(line), "require ")); len(f) >= 2 {
			required[f[0]] = f[1]
		}
	}
	for mod, want := range reviewedBleve {
		if got := required[mod]; got != want {
			t.Errorf("go.mod requires %s %q, but index/bleve_internals.go was reviewed against %s:\n"+
				"re-check every item listed at the top of that file, then update reviewedBleve", mod, got, want)
		}
	}
}

// TestScorchReportsPersister: mergeToOne waits on persisted, which reads
// scorch's StatsMap. Were the key gone or no longer a bool, persisted would
// never be true and every build would wait out mergeWait (two minutes).
func TestScorchReportsPersister(t *testing.T) {
	bi, err := bleve.New(filepath.Join(t.TempDir(), "b"), bleve.NewIndexMapping())
	if err != nil {
		t.Fatal(err)
	}
	defer bi.Close()
	if err := bi.Index("a", map[string]string{"text": "persisted"}); err != nil {
		t.Fatal(err)
	}
	idx, err := bi.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	s, ok := idx.(*scorch.Scorch)
	if !ok {
		t.Fatalf("bleve.New made a %T, not scorch", idx)
	}
	if _, ok := s.StatsMap()["index_bgthreads_active"].(bool); !ok {
		t.Fatalf("scorch's StatsMap has no bool index_bgthreads_active (%v): re-check persisted in bleve_internals.go", s.StatsMap()["index_bgthreads_active"])
	}
	// And it turns false once the persister has caught up.
	ctx := t.Context()
	if d, ok := t.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, d)
		defer cancel()
	}
	for !persisted(s) {
		select {
		case <-ctx.Done():
			t.Fatal("index_bgthreads_active never became false")
		case <-time.After(10 * time.Millisecond):
		}
	}
}

package index

import (
	"os"
	"strings"
	"testing"
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

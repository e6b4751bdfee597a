package web

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGoldenPages compares whole pages with testdata/*.golden.html. Run
// `go test ./web -update` after a deliberate change and read the diff.
func TestGoldenPages(t *testing.T) {
	ts := newTestServer(t, newFake(), 0)
	for _, tc := range []struct{ name, target string }{
		{"search", "/search?q=%E5%8D%8E%E4%B8%BA&ui=en"},
		{"search-zh", "/search?q=Huawei&year=2009&ui=zh"},
		{"document", "/documents/huawei-bytedance?ui=en"},
		{"passage-q", "/passages/huawei-bytedance/p002?q=%E5%8D%8E%E4%B8%BA&company=Huawei&ui=en"},
		{"no-results", "/search?q=nothing-matches-this&ui=en"},
	} {
		rec := ts.get(t, tc.target)
		if rec.Code != 200 {
			t.Fatalf("GET %s: status %d", tc.target, rec.Code)
		}
		// The static files' hash changes with every edit of them; it is
		// tested on its own.
		got := strings.ReplaceAll(rec.Body.String(), ts.s.assetVersion, "ASSETS")
		path := filepath.Join("testdata", tc.name+".golden.html")
		if *update {
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./web -update to create it)", err)
		}
		if diff := cmp.Diff(string(want), got); diff != "" {
			t.Errorf("GET %s differs from %s (-want +got):\n%s", tc.target, path, diff)
		}
	}
}

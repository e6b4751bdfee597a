package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestDependencies states the architecture as policy, as Go's own
// go/build/deps_test.go does: data flows source → corpus → segment → index
// → web, and each outside dependency lives in exactly one package.
func TestDependencies(t *testing.T) {
	const mod = "github.com/corpus-dev/corpus/"
	allowed := map[string][]string{
		"corpus":  {},
		"segment": {"corpus"},
		"index":   {"corpus", "segment"},
		"web":     {"corpus", "index"},
	}
	// Outside modules each package may import (prefix match); others may
	// only use the standard library and golang.org/x.
	outside := map[string][]string{
		"corpus":  {"go.yaml.in/yaml/v3"},
		"segment": {"github.com/go-ego/gse"},
		// snappy: bleve's own block compression, measured by
		// index/diskusage.go; roaring: the bitmaps of bleve's postings
		// lists, which index/bitmapcount.go counts.
		"index": {"github.com/blevesearch/", "github.com/golang/snappy", "github.com/RoaringBitmap/roaring/"},
		"web":   {"github.com/labstack/", "github.com/prometheus/"},
	}
	for pkg, ok := range allowed {
		out, err := exec.Command("go", "list", "-f", `{{join .Imports "\n"}}`, "../../"+pkg).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", pkg, err)
		}
		for imp := range strings.FieldsSeq(string(out)) {
			switch {
			case strings.HasPrefix(imp, mod):
				dep := strings.TrimPrefix(imp, mod)
				if !contains(ok, dep) && !strings.HasPrefix(dep, pkg+"/") {
					t.Errorf("%s imports %s: not allowed (allowed: %v)", pkg, dep, ok)
				}
			case !strings.Contains(strings.SplitN(imp, "/", 2)[0], "."), strings.HasPrefix(imp, "golang.org/x/"):
				// standard library, x/ extensions
			default:
				allowedOutside := false
				for _, p := range outside[pkg] {
					if strings.HasPrefix(imp, p) {
						allowedOutside = true
					}
				}
				if !allowedOutside {
					t.Errorf("%s imports %s: outside dependencies there are limited to %v", pkg, imp, outside[pkg])
				}
			}
		}
	}
}

// TestNoPortLinked keeps the OpenCC port out of the programs: corpus.Fold
// uses tables generated from its dictionaries (Apache-2.0), while the port
// depends on a GPL-2.0 trie. Only corpus/internal/foldgen's test imports it.
func TestNoPortLinked(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "../../cmd/...", "../../corpus", "../../segment", "../../index", "../../web").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	for dep := range strings.FieldsSeq(string(out)) {
		if strings.HasPrefix(dep, "github.com/longbridgeapp/opencc") || strings.HasPrefix(dep, "github.com/liuzl/") {
			t.Errorf("a program links %s: fold with corpus's generated tables instead (see corpus/internal/foldgen)", dep)
		}
	}
}

func contains(ss []string, s string) bool {
	return slices.Contains(ss, s)
}

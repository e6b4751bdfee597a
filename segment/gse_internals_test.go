package segment

import (
	"os"
	"strings"
	"testing"
)

// reviewedGse is the gse version whose internals gse_internals.go was
// checked against. Change it only after re-checking that file's list.
const reviewedGse = "v0.80.3"

func TestGseVersionReviewed(t *testing.T) {
	got := requiredVersion(t, "../go.mod", "github.com/go-ego/gse")
	if got != reviewedGse {
		t.Fatalf("go.mod requires gse %s, but segment/gse_internals.go was reviewed against %s:\n"+
			"re-check every item listed at the top of that file (and run the tests that compare our cuts with gse's), "+
			"then set reviewedGse to %s", got, reviewedGse, got)
	}
}

// requiredVersion reads the version go.mod requires of module path.
func requiredVersion(t *testing.T, gomod, path string) string {
	t.Helper()
	b, err := os.ReadFile(gomod)
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(b)) {
		f := strings.Fields(strings.TrimPrefix(strings.TrimSpace(line), "require "))
		if len(f) >= 2 && f[0] == path {
			return f[1]
		}
	}
	t.Fatalf("%s does not require %s", gomod, path)
	return ""
}

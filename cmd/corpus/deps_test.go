package main

import (
	"os/exec"
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
		"index":   {"github.com/blevesearch/"},
		"web":     {"github.com/labstack/", "github.com/prometheus/"},
	}
	for pkg, ok := range allowed {
		out, err := exec.Command("go", "list", "-f", `{{join .Imports "\n"}}`, "../../"+pkg).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", pkg, err)
		}
		for _, imp := range strings.Fields(string(out)) {
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

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

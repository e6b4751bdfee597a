package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// echo v4.16.0 has advisories in its BodyDump, Decompress and Proxy
// middlewares (GHSA-f48p-c9v4-h7xv, GHSA-h7wr-284f-5qvc, GO-2026-6839,
// GHSA-cxf3-9h37-7rr8, GHSA-9969-6676-49h5) and in Context.RealIP without
// an IP extractor, which the rate limiter uses (CVE-2026-118653), fixed in
// releases we cannot fetch; docs/RELIABILITY.md explains why they do not
// apply to us. These tests keep that true.

const echoMiddleware = "github.com/labstack/echo/v4/middleware"

// vulnerableMiddleware are the names in echo's middleware package the
// advisories concern: the middlewares, their configs, the proxy's
// balancers and the rate limiter, which keys clients by RealIP.
var vulnerableMiddleware = regexp.MustCompile(`^(BodyDump|Decompress|Proxy|NewRoundRobinBalancer|NewRandomBalancer|ProxyTarget|ProxyBalancer|RateLimiter)`)

// vulnerableUses returns each use in src of a name of echo's middleware
// package that the advisories concern, and each call of a method named
// RealIP, as "file:line name".
func vulnerableUses(fset *token.FileSet, name string, src []byte) ([]string, error) {
	f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	var uses []string
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Name == "RealIP" {
			uses = append(uses, fset.Position(sel.Pos()).String()+" RealIP")
		}
		return true
	})
	local := ""
	for _, imp := range f.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p == echoMiddleware {
			local = "middleware"
			if imp.Name != nil {
				local = imp.Name.Name
			}
		}
	}
	if local == "" {
		return uses, nil
	}
	ast.Inspect(f, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		if id, ok := sel.X.(*ast.Ident); ok && (id.Name == local || local == ".") && vulnerableMiddleware.MatchString(sel.Sel.Name) {
			uses = append(uses, fset.Position(sel.Pos()).String()+" "+sel.Sel.Name)
		}
		return true
	})
	if local == "." {
		uses = append(uses, name+": dot-imports echo's middleware; name the package so uses can be checked")
	}
	return uses, nil
}

// TestNoVulnerableMiddleware fails if any Go file of the module uses the
// echo middlewares with known advisories.
func TestNoVulnerableMiddleware(t *testing.T) {
	fset := token.NewFileSet()
	checked := 0
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && path != "../.." || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		uses, err := vulnerableUses(fset, path, src)
		if err != nil {
			return err
		}
		checked++
		for _, u := range uses {
			t.Errorf("%s: echo v4.16.0 has advisories in this middleware (see docs/RELIABILITY.md); do not use it", u)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 20 {
		t.Errorf("checked only %d Go files: the walk missed the module", checked)
	}
}

// TestVulnerableUsesFinds shows the check above can fail.
func TestVulnerableUsesFinds(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want int
	}{
		{`package p; import "github.com/labstack/echo/v4/middleware"; var _ = middleware.BodyDump(nil)`, 1},
		{`package p; import mw "github.com/labstack/echo/v4/middleware"; var _ = mw.DecompressWithConfig(mw.DecompressConfig{})`, 2},
		{`package p; import "github.com/labstack/echo/v4/middleware"; var _ = middleware.Proxy(middleware.NewRoundRobinBalancer(nil))`, 2},
		{`package p; import . "github.com/labstack/echo/v4/middleware"; var _ = Recover()`, 1},
		{`package p; import "github.com/labstack/echo/v4/middleware"; var _ = middleware.Recover()`, 0},
		{`package p; import "other/middleware"; var _ = middleware.BodyDump(nil)`, 0},
		{`package p; import mw "github.com/labstack/echo/v4/middleware"; var _ = mw.RateLimiter(nil)`, 1},
		{`package p; func f(c interface{ RealIP() string }) string { return c.RealIP() }`, 1},
	} {
		uses, err := vulnerableUses(token.NewFileSet(), "x.go", []byte(tc.src))
		if err != nil || len(uses) != tc.want {
			t.Errorf("vulnerableUses(%s) = %v, %v; want %d uses", tc.src, uses, err, tc.want)
		}
	}
}

// TestEchoVersionReviewed fails when echo's version changes, so the list
// of advisories in docs/RELIABILITY.md is reviewed with the upgrade.
func TestEchoVersionReviewed(t *testing.T) {
	const reviewed = "v4.16.0"
	mod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*(?:require\s+)?github\.com/labstack/echo/v4 (v\S+)`).FindSubmatch(mod)
	if m == nil {
		t.Fatal("go.mod does not require github.com/labstack/echo/v4")
	}
	if got := string(m[1]); got != reviewed {
		t.Errorf("echo is %s; the advisories in docs/RELIABILITY.md were reviewed for %s: review them and update this test", got, reviewed)
	}
}

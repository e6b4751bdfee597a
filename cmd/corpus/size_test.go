package main

import (
	"cmp"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Files and functions a newcomer can hold in their head: every production
// file (not _test.go, not generated) stays under sizeFileLines lines and
// every function, method or package-level function literal under
// sizeFuncLines. A file that must grow is split by concern (as
// index/search.go into textquery.go, filter.go, browse_cache.go), a function
// into named steps.
const (
	sizeFileLines = 700
	sizeFuncLines = 80
)

// sizeDebt lists the files and functions that were over the limits when
// the check was written, each to be split and struck off (issue 19). It
// only shrinks: a new file or function over a limit fails.
var sizeDebt = map[string]bool{}

// TestSizes fails naming each production file or function at or over its
// limit. Generated tables (a "Code generated ... DO NOT EDIT." comment, as
// go generate writes) are exempt. Run it with -v to see the longest of each.
func TestSizes(t *testing.T) {
	type sized struct {
		name  string
		lines int
	}
	var files, funcs []sized
	fset := token.NewFileSet()
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); path != "../.." && (n == "testdata" || n == "vendor" || strings.HasPrefix(n, ".") || strings.HasPrefix(n, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		if ast.IsGenerated(f) {
			return nil
		}
		rel, _ := filepath.Rel("../..", path)
		lines := func(n ast.Node) int { return fset.Position(n.End()).Line - fset.Position(n.Pos()).Line + 1 }
		files = append(files, sized{rel, fset.File(f.Pos()).LineCount()})
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				name := d.Name.Name
				if d.Recv != nil && len(d.Recv.List) == 1 {
					name = "(" + recvName(d.Recv.List[0].Type) + ")." + name
				}
				funcs = append(funcs, sized{rel + ": " + name, lines(d)})
			case *ast.GenDecl:
				// var x = func() ...{...}(): a function all the same.
				ast.Inspect(d, func(n ast.Node) bool {
					if fl, ok := n.(*ast.FuncLit); ok {
						pos := fset.Position(fl.Pos())
						funcs = append(funcs, sized{rel + ": func literal at line " + strconv.Itoa(pos.Line), lines(fl)})
						return false
					}
					return true
				})
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 50 {
		t.Fatalf("read %d production files below ../..: the walk is wrong", len(files))
	}
	longest := func(ss []sized) sized {
		return slices.MaxFunc(ss, func(a, b sized) int { return cmp.Compare(a.lines, b.lines) })
	}
	lf, lfn := longest(files), longest(funcs)
	for _, s := range slices.Concat(files, funcs) {
		if sizeDebt[s.name] {
			t.Logf("still to split: %s (%d lines)", s.name, s.lines)
		}
	}
	t.Logf("%d files, longest %s (%d lines); %d functions, longest %s (%d lines)", len(files), lf.name, lf.lines, len(funcs), lfn.name, lfn.lines)
	for _, f := range files {
		if f.lines >= sizeFileLines && !sizeDebt[f.name] {
			t.Errorf("%s: %d lines; keep a file under %d (split it by concern)", f.name, f.lines, sizeFileLines)
		}
	}
	for _, f := range funcs {
		if f.lines >= sizeFuncLines && !sizeDebt[f.name] {
			t.Errorf("%s: %d lines; keep a function under %d (name its steps)", f.name, f.lines, sizeFuncLines)
		}
	}
}

// recvName prints a receiver type: T, *T, T[K].
func recvName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.StarExpr:
		return "*" + recvName(e.X)
	case *ast.Ident:
		return e.Name
	case *ast.IndexExpr:
		return recvName(e.X)
	case *ast.IndexListExpr:
		return recvName(e.X)
	}
	return "?"
}

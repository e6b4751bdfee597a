package web

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func readCatalogs(t *testing.T) map[string]map[string]string {
	t.Helper()
	out := map[string]map[string]string{}
	for _, l := range uiLangs {
		b, err := fs.ReadFile(files, "i18n/"+l+".json")
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("i18n/%s.json: %v", l, err)
		}
		out[l] = m
	}
	return out
}

// verbs matches the fmt verbs of a translation.
var verbs = regexp.MustCompile(`%[dsvq%]`)

// TestMissingTranslations checks that every language has every key with
// the same fmt verbs, that every key the templates and the Go code use
// exists, and that no key is unused.
func TestMissingTranslations(t *testing.T) {
	cats := readCatalogs(t)
	en := cats["en"]
	for _, l := range uiLangs[1:] {
		for k, v := range en {
			tr, ok := cats[l][k]
			if !ok {
				t.Errorf("i18n/%s.json lacks %q", l, k)
				continue
			}
			if a, b := verbs.FindAllString(v, -1), verbs.FindAllString(tr, -1); !slices.Equal(a, b) {
				t.Errorf("%q: en has verbs %v, %s has %v", k, a, l, b)
			}
		}
		for k := range cats[l] {
			if _, ok := en[k]; !ok {
				t.Errorf("i18n/%s.json has %q, which en.json lacks", l, k)
			}
		}
	}

	// Keys written in templates.
	used := map[string]bool{}
	tmplKey := regexp.MustCompile(`\bT\s+"([^"]+)"`)
	names, _ := fs.Glob(files, "templates/*.html")
	parts, _ := fs.Glob(files, "templates/parts/*.html")
	for _, n := range append(names, parts...) {
		b, _ := fs.ReadFile(files, n)
		for _, m := range tmplKey.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
			if _, ok := en[m[1]]; !ok {
				t.Errorf("%s uses key %q, which i18n/en.json lacks", n, m[1])
			}
		}
	}

	// Keys Go code builds: render every page in both languages and check
	// that none was missing.
	ts := newTestServer(t, newFake(), 0)
	for _, ui := range uiLangs {
		for _, tc := range routeCases {
			sep := "?"
			if strings.Contains(tc.target, "?") {
				sep = "&"
			}
			ts.get(t, tc.target+sep+"ui="+ui)
		}
		for _, target := range []string{"/search?page=1&page=2", "/search?q=x", "/nope", "/search?company=Huawei&speaker=Zhang+Yiming&year=2009&year_from=2001&year_to=2020&section=caption&lang=zh&doc=huawei-bytedance"} {
			ts.get(t, target+"&ui="+ui)
		}
	}
	ts.s.cat.missing.Range(func(k, _ any) bool {
		t.Errorf("Go code asked for key %q, which i18n lacks", k)
		return true
	})

	// No key is dead: each is in a template, a Go string, or built from a
	// prefix the Go code adds a value to.
	var src strings.Builder
	gofiles, _ := filepath.Glob("*.go")
	for _, f := range gofiles {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src.Write(b)
	}
	dynamic := []string{"section.", "lang.", "sort.", "facet.", "chip.", "error."}
	for k := range en {
		if used[k] || strings.Contains(src.String(), `"`+k+`"`) || slices.ContainsFunc(dynamic, func(p string) bool { return strings.HasPrefix(k, p) }) {
			continue
		}
		t.Errorf("key %q is used nowhere", k)
	}
}

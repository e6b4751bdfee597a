package main

import (
	"encoding/json"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// maxPageBytes is the bound on every page of the site (web.maxPageBytes).
const maxPageBytes = 500 << 10

// unitWord is a word found in unit i of the generated memory and no other.
func unitWord(i int) string {
	w := []byte("zq")
	for range 4 {
		w = append(w, byte('a'+i%26))
		i /= 26
	}
	return string(w)
}

// writeTMX writes a translation memory of n units to path.
func writeTMX(t testing.TB, path string, n int) {
	t.Helper()
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="test" creationtoolversion="1" segtype="sentence" o-tmf="none" adminlang="en" srclang="en" datatype="plaintext"/>
<body>
`)
	for i := range n {
		fmt.Fprintf(&b, `<tu tuid="%d"><tuv xml:lang="en"><seg>Unit %d: shipment %s cleared customs at the port of Ningbo on schedule.</seg></tuv><tuv xml:lang="zh-CN"><seg>第%d条：货物%s按时在宁波港清关。</seg></tuv></tu>
`, i, i, unitWord(i), i, unitWord(i))
	}
	b.WriteString("</body></tmx>\n")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

var (
	hrefRE    = regexp.MustCompile(`href="([^"]*)"`)
	nextRE    = regexp.MustCompile(`<a href="([^"]*)" rel="next">`)
	docLinkRE = regexp.MustCompile(`<h2><a href="(/documents/[^"]*)"`)
)

// TestLongDocumentThroughUI indexes a generated translation memory of
// 50,000 units (one document of 50,000 passages; the TMX is written in the
// test's folder, never committed) and reads it through the site of the real
// `corpus serve`: from the list of documents to the document, then page
// after page by "Next" to its last passage and that passage's page, every
// page under 500 KB; a search for the last unit's word leads to a page
// that holds it; the API's pages give every passage. Before, a document
// page held every passage (9.5 MB for 80,000) and was cut at 20,000.
func TestLongDocumentThroughUI(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes 50,000 units")
	}
	const units = 50000
	ctx := testBudget(t)
	src, data := t.TempDir(), t.TempDir()
	writeTMX(t, filepath.Join(src, "memory.tmx"), units)
	start := time.Now()
	if out, errOut, code := runCmd(t, "index", "--source", src, "--data", data); code != 0 {
		t.Fatalf("index: exit %d\n%s\n%s", code, out, errOut)
	}
	s := startChild(t, "serve", "--addr", "127.0.0.1:0", "--data", data)
	if s.url == "" {
		t.Fatalf("serve exited: %v\n%s", s.waitErr, s.stderr.String())
	}
	t.Logf("indexed and serving in %v", time.Since(start).Round(time.Millisecond))
	start = time.Now()
	base := strings.TrimSuffix(s.url, "/")
	pages, largest := 0, 0
	page := func(path string) string {
		t.Helper()
		body := fetch(t, ctx, base+path)
		pages++
		largest = max(largest, len(body))
		if len(body) > maxPageBytes {
			t.Fatalf("GET %s: %d bytes, over %d", path, len(body), maxPageBytes)
		}
		return body
	}

	m := docLinkRE.FindStringSubmatch(page("/documents"))
	if m == nil {
		t.Fatal("the list of documents links to no document")
	}
	docPath := html.UnescapeString(m[1])
	body := page(docPath)
	lastID := ""
	for {
		n := nextRE.FindStringSubmatch(body)
		if n == nil {
			break
		}
		body = page(html.UnescapeString(n[1]))
	}
	lastText := fmt.Sprintf("第%d条：货物%s按时在宁波港清关。", units-1, unitWord(units-1))
	if !strings.Contains(body, lastText) {
		t.Fatalf("the document's last page (after %d pages) lacks the last unit %q", pages, lastText)
	}
	for _, h := range hrefRE.FindAllStringSubmatch(body, -1) {
		if u := html.UnescapeString(h[1]); strings.HasPrefix(u, "/passages/") && strings.Contains(u, fmt.Sprintf("p%03d", units-1)) {
			lastID = u
		}
	}
	if lastID == "" {
		t.Fatal("the last page links to no page of its last passage")
	}
	if !strings.Contains(page(lastID), lastText) {
		t.Errorf("GET %s lacks the last unit", lastID)
	}
	docPages := pages
	t.Logf("walked %d pages in %v", pages, time.Since(start).Round(time.Millisecond))
	start = time.Now()

	// A search hit leads to a page that holds the passage.
	results := page("/search?q=" + unitWord(units-1))
	hit := ""
	for _, h := range hrefRE.FindAllStringSubmatch(results, -1) {
		if u := html.UnescapeString(h[1]); strings.HasPrefix(u, "/passages/") && hit == "" {
			hit = u
		}
	}
	if hit == "" {
		t.Fatalf("search for %s: no link to a passage", unitWord(units-1))
	}
	if p := page(hit); !strings.Contains(p, "<mark>"+unitWord(units-1)+"</mark>") || !strings.Contains(p, lastText[:len("第49999条")]) {
		t.Errorf("the hit's page %s does not hold the passage with its word marked", hit)
	}

	// The API's pages, from next_from to next_from, give every passage.
	id := strings.TrimPrefix(docPath, "/documents/")
	seen, apiPages, from := 0, 0, 0
	for {
		var doc struct {
			Passages []struct {
				Position int `json:"position"`
			} `json:"passages"`
			Total    int  `json:"total_passages"`
			NextFrom *int `json:"next_from"`
		}
		b := fetch(t, ctx, fmt.Sprintf("%s/api/documents/%s?from=%d", base, id, from))
		apiPages++
		if err := json.Unmarshal([]byte(b), &doc); err != nil {
			t.Fatal(err)
		}
		for _, p := range doc.Passages {
			if p.Position != seen {
				t.Fatalf("API page from %d: passage at position %d, want %d", from, p.Position, seen)
			}
			seen++
		}
		if doc.NextFrom == nil {
			break
		}
		from = *doc.NextFrom
	}
	t.Logf("API walk in %v", time.Since(start).Round(time.Millisecond))
	t.Logf("%d units: the last passage reached through %d document pages (%d pages in all, largest %d KB); the API gave %d passages in %d pages",
		units, docPages, pages, largest/1000, seen, apiPages)
	if seen != units {
		t.Errorf("the API's pages gave %d passages, want %d", seen, units)
	}
}

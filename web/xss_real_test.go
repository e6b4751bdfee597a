package web

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
)

// TestXSSRealIndex builds the hostile corpus of TestXSS into a real index,
// so the payloads go through bleve, the analyzers and the real highlighter,
// and reads every view over HTTP, error pages included: markup from a
// document or a query is only ever text, and every answer carries the
// headers that would stop a script that slipped through.
func TestXSSRealIndex(t *testing.T) {
	f := hostileFake()
	d := f.docs[0]
	gaz, err := corpus.DefaultGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := index.Build(t.Context(), dir, []*corpus.Document{&d}, gaz, index.BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	live, err := index.OpenLive(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	ts := realServer(t, live, 0)

	doc := url.PathEscape(d.ID)
	targets := []string{
		"/", "/search", "/search?q=alert", "/search?q=alert&ui=zh", "/search?q=alert&sort=position&size=100",
		"/concordance?q=alert", "/concordance?q=alert&sort=left", "/concordance?q=alert&sort=right",
		"/documents", "/documents/" + doc, "/documents/" + doc + "?ui=zh",
		"/passages/" + doc + "/p001", "/passages/" + doc + "/p003",
		"/search?company=" + url.QueryEscape(payloads[2]) + "&speaker=" + url.QueryEscape(payloads[3]),
		"/search?doc=" + url.QueryEscape(d.ID),
	}
	pages := len(targets) // these must show the hostile document, 200
	for _, p := range payloads {
		q := url.QueryEscape(p)
		targets = append(targets,
			"/search?q="+q, "/concordance?q="+q, "/?q="+q,
			"/search?q="+q+"&page=0",       // 400 page reflecting the query
			"/concordance?q="+q+"&sort="+q, // 400 on the concordance
			"/search?q="+q+"%00",           // control character refused
			"/search?q="+q+"&company="+q,   // unknown facet value
			"/search?q=alert&speaker="+q+"&year=2009",
			"/nope?q="+q,                         // 404 page
			"/documents/"+url.PathEscape(p),      // 404 with the payload in the path
			"/passages/"+url.PathEscape(p)+"/p0", // likewise
			"/search?page="+q, "/?ui="+q,
		)
	}
	for i, target := range targets {
		resp, err := ts.Client().Get(ts.URL + target)
		if err != nil {
			t.Fatalf("GET %s: %v", target, err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode >= 500 || (i < pages && resp.StatusCode != 200) {
			t.Errorf("GET %s: status %d", target, resp.StatusCode)
		}
		if i < pages && target != "/" && target != "/search" && !strings.Contains(string(b), "&lt;script&gt;alert(1)&lt;/script&gt;") && !strings.Contains(string(b), "&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt;") {
			t.Errorf("GET %s: the hostile text is not on the page, escaped", target)
		}
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("GET %s: Content-Type %q, want text/html", target, ct)
		}
		checkHeaders(t, "GET "+target, resp.Header)
		checkSafeHTML(t, target, string(b))
	}

	// The real highlighter escapes the text around its marks.
	resp, err := ts.Client().Get(ts.URL + "/search?q=alert&size=100")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if want := `&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt;`; !strings.Contains(string(b), want) {
		t.Errorf("GET /search?q=alert: no escaped highlight %s", want)
	}

	// The API returns the payloads as JSON data, never as a page.
	for _, target := range []string{
		"/api/search?q=alert", "/api/search?q=" + url.QueryEscape(payloads[0]), "/api/search?q=alert&format=jsonl",
		"/api/documents", "/api/documents/" + doc, "/api/passages/" + doc + "/p001",
		"/api/search?q=" + url.QueryEscape(payloads[1]) + "&page=0", "/api/documents/" + url.PathEscape(payloads[2]),
		"/api/search?" + url.QueryEscape(payloads[0]) + "=1", "/api/nope?q=" + url.QueryEscape(payloads[0]),
	} {
		resp, err := ts.Client().Get(ts.URL + target)
		if err != nil {
			t.Fatalf("GET %s: %v", target, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		ct := resp.Header.Get("Content-Type")
		if !strings.HasPrefix(ct, "application/json") && !strings.HasPrefix(ct, "application/x-ndjson") {
			t.Errorf("GET %s: status %d, Content-Type %q, want JSON", target, resp.StatusCode, ct)
		}
		checkHeaders(t, "GET "+target, resp.Header)
	}
	// So do the method and size refusals.
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete} {
		req, _ := http.NewRequest(m, ts.URL+"/api/search?q="+url.QueryEscape(payloads[0]), strings.NewReader(payloads[1]))
		resp, err := ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 405 || !strings.HasPrefix(ct, "application/json") {
			t.Errorf("%s /api/search: status %d, Content-Type %q, want 405 in JSON", m, resp.StatusCode, ct)
		}
	}
}

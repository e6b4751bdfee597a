package web

import (
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/corpus-dev/corpus/corpus"
)

// payloads are attacks a corpus text, a title, a facet value or a query
// could carry.
var payloads = []string{
	`<script>alert(1)</script>`,
	`<img src=x onerror=alert(1)>`,
	`"><svg onload=alert(1)>`,
	`javascript:alert(1)`,
	`'><iframe src=javascript:alert(1)>`,
}

// hostileFake is a corpus whose every string is an attack.
func hostileFake() *fakeSearcher {
	all := strings.Join(payloads, " ")
	doc := `x"><svg onload=alert(1)>`
	d := corpus.Document{
		ID:    doc,
		Title: corpus.Text{EN: payloads[0], ZH: payloads[1]},
		Date:  payloads[2], Source: payloads[3], Author: payloads[4], Editor: payloads[0], PictureSource: payloads[1], Note: all,
		Passages: passages(doc,
			corpus.Passage{Section: corpus.SectionTitle, Text: corpus.Text{EN: payloads[0], ZH: payloads[1]}},
			corpus.Passage{
				Text:      corpus.Text{EN: "alert " + all, ZH: "alert 华为 " + all},
				Companies: []string{payloads[2], "Huawei"}, Speakers: []string{payloads[3]}, Years: []int{2009},
			},
			corpus.Passage{Section: corpus.SectionCaption, Text: corpus.Text{EN: payloads[4], ZH: "alert"}},
			corpus.Passage{Section: corpus.SectionReference, Text: corpus.Text{EN: "alert", ZH: payloads[0]}},
		),
		References: []corpus.Reference{
			{Number: 1, Title: corpus.Text{EN: payloads[0]}, Publication: payloads[1], Date: payloads[2], Passage: corpus.PassageID(doc, 3)},
			{Number: 2, Title: corpus.Text{EN: payloads[3]}, Publication: payloads[4], Date: payloads[0]},
		},
	}
	return &fakeSearcher{
		docs:   []corpus.Document{d},
		labels: map[string]string{payloads[2]: payloads[0], payloads[3]: payloads[1], "Huawei": payloads[4]},
	}
}

// checkSafeHTML fails if page has markup that runs script: a script
// element other than ours, an on* attribute, a javascript: URL, or an
// element an attack would bring in.
func checkSafeHTML(t *testing.T, target, page string) {
	t.Helper()
	for _, p := range payloads[:3] {
		if strings.Contains(page, p) {
			t.Errorf("GET %s: page contains %s unescaped", target, p)
		}
	}
	z := html.NewTokenizer(strings.NewReader(page))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		switch tok.Data {
		case "img", "iframe", "object", "embed", "base", "style":
			t.Errorf("GET %s: page has a <%s> element", target, tok.Data)
		case "svg":
			if attr(tok, "class") != "timeline" {
				t.Errorf("GET %s: page has an <svg> that is not the timeline", target)
			}
		case "script":
			if !strings.HasPrefix(attr(tok, "src"), "/static/app.js?v=") {
				t.Errorf("GET %s: page has a script %v", target, tok.Attr)
			}
		}
		for _, a := range tok.Attr {
			if strings.HasPrefix(strings.ToLower(a.Key), "on") {
				t.Errorf("GET %s: <%s> has an event handler %s=%q", target, tok.Data, a.Key, a.Val)
			}
			if a.Key == "href" || a.Key == "src" || a.Key == "action" {
				if v := strings.ToLower(strings.TrimSpace(a.Val)); !strings.HasPrefix(v, "/") && !strings.HasPrefix(v, "#") {
					t.Errorf("GET %s: <%s %s=%q> leaves the site or runs script", target, tok.Data, a.Key, a.Val)
				}
			}
		}
	}
}

func attr(tok html.Token, key string) string {
	for _, a := range tok.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func TestXSS(t *testing.T) {
	f := hostileFake()
	ts := newTestServer(t, f, 0)
	doc := f.docs[0].ID
	targets := []string{
		"/", "/search", "/search?q=alert", "/search?q=alert&ui=zh", "/concordance?q=alert", "/concordance?q=alert&sort=left",
		"/documents", "/documents/" + url.PathEscape(doc), "/passages/" + url.PathEscape(doc) + "/p001",
		"/passages/" + url.PathEscape(doc) + "/p001?q=alert", "/documents/" + url.PathEscape(doc) + "?q=alert&ui=zh",
		"/search?company=" + url.QueryEscape(payloads[2]) + "&speaker=" + url.QueryEscape(payloads[3]),
		"/search?doc=" + url.QueryEscape(doc),
	}
	for _, p := range payloads {
		q := url.QueryEscape(p)
		targets = append(targets, "/search?q="+q, "/concordance?q="+q, "/search?q="+q+"%00", "/search?q=alert&company="+q,
			"/nope?q="+q, "/documents/"+url.PathEscape(p), "/search?page="+q, "/?ui="+q)
	}
	for _, target := range targets {
		rec := ts.get(t, target)
		if rec.Code >= 500 {
			t.Errorf("GET %s: status %d", target, rec.Code)
		}
		checkSafeHTML(t, target, rec.Body.String())
	}
	// The highlights on a hostile text are the escaped text with marks,
	// in a result and in the passage's page.
	for _, target := range []string{"/search?q=alert", "/passages/" + url.PathEscape(doc) + "/p001?q=alert"} {
		body := ts.get(t, target).Body.String()
		if want := `&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt;`; !strings.Contains(body, want) {
			t.Errorf("GET %s: no highlight %s", target, want)
		}
	}
}

// TestXSSBrokenHighlights: an index that broke its promise of escaped
// fragments must not get markup onto a page.
func TestXSSBrokenHighlights(t *testing.T) {
	for _, raw := range []string{`<img src=x onerror=alert(1)>`, `<mark onmouseover=alert(1)>x</mark>`, `<mark>x</mark><script>alert(1)</script>`} {
		f := newFake()
		f.rawHighlight = raw
		ts := newTestServer(t, f, 0)
		body := ts.get(t, "/search?q=Huawei").Body.String()
		checkSafeHTML(t, "/search?q=Huawei with highlight "+raw, body)
		if strings.Contains(body, "onmouseover") || strings.Contains(body, "onerror") {
			t.Errorf("highlight %s reached the page", raw)
		}
	}
}

// TestJSONEscapes: the API returns hostile text as data; served as JSON
// with nosniff, it cannot run.
func TestJSONEscapes(t *testing.T) {
	ts := newTestServer(t, hostileFake(), 0)
	for _, target := range []string{"/api/search?q=alert", "/api/documents", "/api/search?format=jsonl&q=alert"} {
		rec := ts.get(t, target)
		if rec.Code != 200 {
			t.Errorf("GET %s: status %d", target, rec.Code)
		}
		if ct := rec.Header().Get("Content-Type"); strings.HasPrefix(ct, "text/html") {
			t.Errorf("GET %s: served as %s", target, ct)
		}
		if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: no nosniff", target)
		}
	}
}

package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/chromedp/chromedp"
)

// Reading hits in context, issue 18: every side of a hit readable whole in
// place, hit to hit on the passage page, a concordance that keeps its sort,
// width and page on the way back, and searching translation equivalents
// from the search form, with the hits found so flagged in the API.

// readCheck is what one check of reading needs.
type readCheck struct {
	b    *tab
	site *httptest.Server
	vp   viewport
	ui   string
	T    func(key string, args ...any) string
	axe  string
	shot func(name string)
}

// readChecks runs the reading checks in the tab's viewport and language ui.
func readChecks(t *testing.T, c readCheck) {
	b, ui, T := c.b, c.ui, c.T
	tiktok := withUI("/search?q=TikTok", ui)

	t.Run("hits readable whole", func(t *testing.T) {
		b.open(t, tiktok)
		type sideInfo struct {
			Snippet, Whole string
			Clipped        bool
		}
		sides := eval[[]sideInfo](t, b, `Array.from(document.querySelectorAll(".hit .side"), s => {
			const p = s.querySelector("p.snippet"), d = s.querySelector("details.whole");
			return {Snippet: p ? p.textContent : "", Whole: d ? d.querySelector("p").textContent : "", Clipped: !!d};
		})`)
		clipped := 0
		for i, s := range sides {
			cut := strings.HasPrefix(s.Snippet, "…") || strings.HasSuffix(strings.TrimSpace(s.Snippet), "…")
			if cut && !s.Clipped {
				t.Errorf("side %d is cut (%q) and offers no whole text", i+1, s.Snippet)
			}
			if !s.Clipped {
				continue
			}
			clipped++
			// Every piece of the snippet is in the whole text.
			for piece := range strings.SplitSeq(s.Snippet, "…") {
				if piece = strings.TrimSpace(piece); piece != "" && !strings.Contains(s.Whole, piece) {
					t.Errorf("side %d: the snippet's %q is not in its whole text %q", i+1, piece, s.Whole)
				}
			}
			if utf8.RuneCountInString(s.Whole) <= utf8.RuneCountInString(strings.ReplaceAll(s.Snippet, "…", "")) {
				t.Errorf("side %d: the whole text (%d characters) is no longer than the snippet", i+1, utf8.RuneCountInString(s.Whole))
			}
		}
		if clipped == 0 {
			t.Fatal("no hit of TikTok offers a whole side: nothing to open")
		}
		// Opened in place, the whole text takes the snippet's place.
		b.do(t, "open the whole text", chromedp.Click(chromedp.CSS(".side details.whole > summary")))
		b.waitFor(t, "the whole text in place of the snippet", func() bool {
			return eval[bool](t, b, `(() => {
				const d = document.querySelector(".side details.whole[open]");
				if (!d) return false;
				const s = d.closest(".side");
				return s.querySelector("p.snippet").offsetParent === null && d.querySelector("p").offsetParent !== null;
			})()`)
		})
		if n := b.count(t, ".side details.whole[open] p mark"); n == 0 {
			t.Error("the whole text marks no match")
		}
		if w := eval[[]int](t, b, `[document.documentElement.scrollWidth, innerWidth]`); w[0] > w[1] {
			t.Errorf("with a whole text open the page is %dpx wide in %dpx", w[0], w[1])
		}
		c.shot("whole")
		axeCheck(t, b, c.axe)
		b.clean(t)
	})

	t.Run("hit to hit", func(t *testing.T) {
		b.open(t, tiktok)
		total := b.total(t)
		page1 := eval[[]string](t, b, `Array.from(document.querySelectorAll(".hit a.hit-link"), a => a.getAttribute("href"))`)
		b.open(t, withUI("/search?q=TikTok&page=2", ui))
		page2 := eval[[]string](t, b, `Array.from(document.querySelectorAll(".hit a.hit-link"), a => a.getAttribute("href"))`)
		if len(page1) < 2 || len(page2) == 0 || total != len(page1)+len(page2) {
			t.Fatalf("TikTok: %d hits, pages of %d and %d: want two pages", total, len(page1), len(page2))
		}
		here := func() string { return linkPath(t, b.location(t)) }
		// From the first hit: no previous, the next is the second.
		b.open(t, page1[0])
		if got, want := b.text(t, ".hit-nav .hit-n"), T("hitnav.n", 1, total); got != want {
			t.Errorf("first hit's page says %q, want %q", got, want)
		}
		if b.count(t, ".hit-nav a.hit-prev") != 0 {
			t.Error("the first hit links to a previous hit")
		}
		b.load(t, "next hit", chromedp.Click(chromedp.CSS(".hit-nav a.hit-next")))
		if got, want := here(), linkPath(t, page1[1]); got != want {
			t.Errorf("next hit from the first is %s, want %s", got, want)
		}
		// From the last hit of page 1 on to page 2 and back.
		b.open(t, page1[len(page1)-1])
		b.load(t, "next hit", chromedp.Click(chromedp.CSS(".hit-nav a.hit-next")))
		if got, want := here(), linkPath(t, page2[0]); got != want {
			t.Errorf("next hit after page 1 is %s, want page 2's first %s", got, want)
		}
		if got, want := b.text(t, ".hit-nav .hit-n"), T("hitnav.n", len(page1)+1, total); got != want {
			t.Errorf("page 2's first hit says %q, want %q", got, want)
		}
		c.shot("hit-nav")
		axeCheck(t, b, c.axe)
		// Back to the results leads to the page of this hit.
		back := eval[string](t, b, `document.querySelector(".passage-notice a").getAttribute("href")`)
		if u, _ := url.Parse(back); u.Path != "/search" || u.Query().Get("q") != "TikTok" || u.Query().Get("page") != "2" || u.Query().Get("ui") != ui {
			t.Errorf("back to the results from page 2's first hit: %s", back)
		}
		b.load(t, "previous hit", chromedp.Click(chromedp.CSS(".hit-nav a.hit-prev")))
		if got, want := here(), linkPath(t, page1[len(page1)-1]); got != want {
			t.Errorf("previous hit from page 2's first is %s, want %s", got, want)
		}
		b.clean(t)
	})

	t.Run("concordance keeps its sort, width and page", func(t *testing.T) {
		b.open(t, withUI("/concordance?q=TikTok", ui))
		if b.count(t, "select#width") == 0 {
			t.Fatal("no context width to choose")
		}
		// chromedp.SetValue fires the select's change event, on which
		// it applies itself (app.js), as a person's choice would.
		b.load(t, "choose 20 characters", chromedp.SetValue(chromedp.CSS("select#width"), "20"))
		b.load(t, "sort by the left context", chromedp.Click(chromedp.CSS("table.kwic th.left a")))
		u, err := url.Parse(b.location(t))
		if err != nil {
			t.Fatal(err)
		}
		if u.Query().Get("sort") != "left" || u.Query().Get("width") != "20" {
			t.Fatalf("after choosing the width and the sort: %s", u)
		}
		type line struct{ ID, Lang, Left, Match, Right, Href string }
		lines := eval[[]line](t, b, `Array.from(document.querySelectorAll("tr.line"), tr => ({ID: tr.id, Lang: tr.querySelector("td.match").lang,
			Left: tr.querySelector("td.left").textContent, Match: tr.querySelector("td.match").textContent,
			Right: tr.querySelector("td.right").textContent, Href: tr.querySelector("td.where a").getAttribute("href")}))`)
		if len(lines) < 3 {
			t.Fatalf("%d concordance lines for TikTok, want 3 or more", len(lines))
		}
		// Each context fits the width and is cut between words (English)
		// or between characters (Chinese): checked against the passage.
		texts := map[string]string{}
		for _, l := range lines {
			left, right := strings.TrimPrefix(l.Left, "…"), strings.TrimSuffix(l.Right, "…")
			if n := utf8.RuneCountInString(left); n > 20 {
				t.Errorf("%s: left context %q is %d characters, want at most 20", l.ID, left, n)
			}
			if n := utf8.RuneCountInString(right); n > 20 {
				t.Errorf("%s: right context %q is %d characters, want at most 20", l.ID, right, n)
			}
			lang := "en"
			if strings.HasPrefix(l.Lang, "zh") {
				lang = "zh"
			}
			text, ok := texts[linkPath(t, l.Href)+lang]
			if !ok {
				text = passageText(t, c.site, linkPath(t, l.Href), lang)
				texts[linkPath(t, l.Href)+lang] = text
			}
			at := strings.Index(text, left+l.Match+right)
			if at < 0 {
				t.Errorf("%s: %q is not in its passage", l.ID, left+l.Match+right)
				continue
			}
			before, _ := utf8.DecodeLastRuneInString(text[:at])
			first, _ := utf8.DecodeRuneInString(left)
			end := at + len(left+l.Match+right)
			after, _ := utf8.DecodeRuneInString(text[end:])
			last, _ := utf8.DecodeLastRuneInString(right)
			if at > 0 && latinWord(before) && latinWord(first) {
				t.Errorf("%s: the left context %q cuts a word", l.ID, l.Left)
			}
			if end < len(text) && latinWord(after) && latinWord(last) {
				t.Errorf("%s: the right context %q cuts a word", l.ID, l.Right)
			}
		}
		// To a passage and back to this line of this concordance.
		pick := lines[min(2, len(lines)-1)]
		b.load(t, "open "+pick.ID+"'s passage", chromedp.Click(chromedp.CSS("tr#"+pick.ID+" td.where a")))
		if b.count(t, ".hit-nav .hit-n") == 0 {
			t.Error("a passage reached from the concordance has no way to the next hit")
		}
		if got, want := b.text(t, ".passage-notice a"), T("passage.back_kwic"); got != want {
			t.Errorf("the way back reads %q, want %q", got, want)
		}
		c.shot("kwic-passage")
		b.load(t, "back to the concordance", chromedp.Click(chromedp.CSS(".passage-notice a")))
		u, err = url.Parse(b.location(t))
		if err != nil {
			t.Fatal(err)
		}
		if u.Path != "/concordance" || u.Query().Get("sort") != "left" || u.Query().Get("width") != "20" || u.Query().Get("q") != "TikTok" || u.Fragment != pick.ID {
			t.Errorf("back from the passage at %s, want the concordance sorted left, 20 wide, at #%s", u, pick.ID)
		}
		b.waitFor(t, "the line in view", func() bool {
			return eval[bool](t, b, `(() => { const r = document.getElementById(`+strconv.Quote(pick.ID)+`).getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; })()`)
		})
		axeCheck(t, b, c.axe)
		b.clean(t)
	})

	t.Run("translation equivalents", func(t *testing.T) {
		// "company" is 公司 in the Chinese of passages whose English says
		// firm, business, enterprise.
		b.open(t, withUI("/search?q=company", ui))
		plain := b.total(t)
		if eval[bool](t, b, `document.getElementById("expand").checked`) {
			t.Fatal("the search form expands to translation equivalents unasked")
		}
		b.do(t, "ask for translation equivalents", chromedp.Click(chromedp.CSS("#expand")))
		b.load(t, "search", chromedp.Click(chromedp.CSS(`form.search button[type="submit"]`)))
		if u, _ := url.Parse(b.location(t)); u.Query().Get("expand") != "1" {
			t.Fatalf("the form sent %s, want expand=1", u)
		}
		expanded := b.total(t)
		if expanded <= plain {
			t.Errorf("company finds %d passages, %d with its translation equivalents: want more", plain, expanded)
		}
		if !eval[bool](t, b, `document.getElementById("expand").checked`) {
			t.Error("the box is unchecked on the expanded results")
		}
		// The hits found only by a translation are flagged, on the page
		// as in the API, and the API's flag is true exactly for the
		// passages whose English does not say company.
		flagged := 0
		for page := 1; ; page++ {
			shown := b.count(t, ".hit .via-equivalent")
			var api struct {
				Hits []struct {
					Text          map[string]string `json:"text"`
					ViaEquivalent bool              `json:"via_equivalent"`
				} `json:"hits"`
			}
			siteJSON(t, c.site.URL+"/api/search?expand=1&q=company&page="+strconv.Itoa(page), &api)
			n := 0
			for i, h := range api.Hits {
				says := strings.Contains(strings.ToLower(h.Text["en"]), "compan")
				if h.ViaEquivalent == says {
					t.Errorf("page %d, hit %d: via_equivalent %v, and its English says company: %v", page, i+1, h.ViaEquivalent, says)
				}
				if h.ViaEquivalent {
					n++
				}
			}
			if n != shown {
				t.Errorf("page %d: the API flags %d hits as found by a translation equivalent, the page %d", page, n, shown)
			}
			flagged += n
			if b.count(t, `nav.pages a[rel="next"]`) == 0 {
				break
			}
			if n > 0 && page > 1 {
				c.shot("equivalents")
				axeCheck(t, b, c.axe)
			}
			b.load(t, "next page", chromedp.Click(chromedp.CSS(`nav.pages a[rel="next"]`)))
		}
		if flagged != expanded-plain {
			t.Errorf("%d hits flagged, want the %d that the translation equivalents added", flagged, expanded-plain)
		}
		b.clean(t)
	})
}

// latinWord reports whether r is part of a word of Latin script.
func latinWord(r rune) bool {
	return (unicode.IsLetter(r) || unicode.IsDigit(r)) && !unicode.Is(unicode.Han, r)
}

// linkPath is the path of a link.
func linkPath(t *testing.T, href string) string {
	t.Helper()
	u, err := url.Parse(href)
	if err != nil {
		t.Fatal(err)
	}
	return u.Path
}

// passageText returns side lang of the passage at the page path
// /passages/ID, from the API.
func passageText(t *testing.T, site *httptest.Server, pagePath, lang string) string {
	t.Helper()
	var p struct {
		Text map[string]string `json:"text"`
	}
	siteJSON(t, site.URL+"/api"+pagePath, &p)
	return p.Text[lang]
}

// siteJSON decodes the JSON answer of GET url into v.
func siteJSON(t *testing.T, u string, v any) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", u, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", u, fmt.Errorf("decode: %w", err))
	}
}

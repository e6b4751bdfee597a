package web

import (
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/chromedp/chromedp"
)

// TestBrowser drives the site, serving a real index of the embedded essay,
// in headless Chromium as a reader would: search in both languages, filter
// by a facet and the timeline, open a passage, switch to the Chinese
// interface, read a concordance, on a desktop and a phone. Every page must
// load without console errors, CSP violations or dialogs. Screenshots go to
// testdata/screenshots (or $CORPUS_SCREENSHOTS); CORPUS_UPDATE_SCREENSHOT=1
// also rewrites the README's docs/screenshot.png.
func TestBrowser(t *testing.T) {
	chromiumPath(t) // skip or fail before the slow index build
	start := time.Now()
	site := realSite(t)
	t.Logf("index built and served in %v", time.Since(start).Round(time.Millisecond))
	b := openTab(t, site.URL)
	t.Logf("browser started in %v", time.Since(start).Round(time.Millisecond))

	// Later steps compare their counts with this one; each step loads the
	// pages it needs, so a failed step does not break the next.
	var huawei int
	huaweiPath := "/search?q=" + url.QueryEscape("华为")

	t.Run("watch sees problems", func(t *testing.T) {
		// A test that cannot fail proves nothing: break the CSP and open
		// a dialog on purpose, and check that the watch notices both.
		b.open(t, "/")
		b.do(t, "break the CSP", chromedp.Evaluate[chromedp.Void](`new Image().src = "https://example.invalid/canary.png"`))
		b.waitFor(t, "the CSP violation", func() bool {
			b.watch.mu.Lock()
			defer b.watch.mu.Unlock()
			return slices.ContainsFunc(b.watch.problems, func(p string) bool { return strings.Contains(p, "CSP violation: img-src") })
		})
		b.do(t, "open a dialog", chromedp.Evaluate[chromedp.Void](`setTimeout(() => alert("canary"), 0)`))
		b.waitFor(t, "the dialog", func() bool {
			b.watch.mu.Lock()
			defer b.watch.mu.Unlock()
			return len(b.watch.dialogs) > 0
		})
		// The dialog was dismissed, so the page still answers.
		if got := eval[int](t, b, "1 + 1"); got != 2 {
			t.Fatalf("page after the dialog: 1 + 1 = %d", got)
		}
		problems, dialogs := b.watch.take()
		t.Logf("seen on purpose: %q, dialogs %q", problems, dialogs)
	})

	t.Run("search 华为", func(t *testing.T) {
		b.open(t, "/")
		b.shot(t, "home", true)
		if n := eval[int](t, b, `document.getElementById("q").labels.length`); n == 0 {
			t.Error("the search box has no label")
		}
		b.do(t, "type 华为", chromedp.SendKeys(chromedp.CSS("#q"), "华为"))
		b.load(t, "press Enter", chromedp.SendKeys(chromedp.CSS("#q"), "\n"))
		u, err := url.Parse(b.location(t))
		if err != nil || u.Path != "/search" || u.Query().Get("q") != "华为" {
			t.Fatalf("after Enter the page is %s, want /search?q=华为", b.location(t))
		}
		huawei = b.total(t)
		t.Logf("华为: %q", b.text(t, "#results-h"))
		if huawei < 10 {
			t.Errorf("华为 finds %d passages, want at least 10", huawei)
		}
		if n := b.count(t, "ol.hits > li.hit"); n != min(huawei, 10) {
			t.Errorf("%d hits on the page, want %d", n, min(huawei, 10))
		}
		// The query is Chinese; the English side is marked too, through
		// the gazetteer (华为 = Huawei).
		zh := b.texts(t, `.hit .side p[lang="zh-Hans"] mark`)
		en := b.texts(t, `.hit .side p[lang="en"] mark`)
		if !slices.Contains(zh, "华为") {
			t.Errorf("Chinese highlights %q, want 华为 among them", zh)
		}
		if !slices.ContainsFunc(en, func(s string) bool { return strings.HasPrefix(s, "Huawei") }) {
			t.Errorf("English highlights %q, want Huawei among them", en)
		}
		// A hit names its document short, on one line with its number,
		// and the whole title is the link's tooltip.
		for i, l := range eval[[]struct {
			Text  string `json:"text"`
			Title string `json:"title"`
		}](t, b, `Array.from(document.querySelectorAll(".hit-link"), a => ({text: a.innerText, title: a.title}))`) {
			if n := utf8.RuneCountInString(l.Text); n > 50 || strings.Contains(l.Text, "…") && len(l.Title) <= len(l.Text) {
				t.Errorf("hit %d links as %q (%d characters), title %q; want a short title and the whole one as its tooltip", i+1, l.Text, n, l.Title)
			}
		}
		b.shot(t, "search-huawei", true)
		b.clean(t)
	})

	t.Run("search an English phrase", func(t *testing.T) {
		b.open(t, "/")
		b.do(t, "type the phrase", chromedp.SendKeys(chromedp.CSS("#q"), `"iron curtain"`))
		b.load(t, "click Search", chromedp.Click(chromedp.CSS(`form.search button[type="submit"]`)))
		if got := eval[string](t, b, `document.getElementById("q").value`); got != `"iron curtain"` {
			t.Errorf("search box after the search = %q, want the query", got)
		}
		n := b.total(t)
		if n == 0 {
			t.Fatalf("%q finds nothing", `"iron curtain"`)
		}
		// Every hit shows the phrase marked on its English side.
		for i, marks := range eval[[][]string](t, b, `Array.from(document.querySelectorAll(".hit"),
			h => Array.from(h.querySelectorAll('.side p[lang="en"] mark'), m => m.innerText.toLowerCase()))`) {
			joined := strings.Join(marks, " ")
			if !strings.Contains(joined, "iron") || !strings.Contains(joined, "curtain") {
				t.Errorf("hit %d marks %q, want iron and curtain", i+1, marks)
			}
		}
		b.clean(t)
	})

	t.Run("facet and chip", func(t *testing.T) {
		b.open(t, huaweiPath)
		before := b.total(t)
		b.load(t, "click ByteDance", chromedp.Click(chromedp.CSS(`.facet-company a[href*="company=ByteDance"]`)))
		after := b.total(t)
		if after == 0 || after >= before {
			t.Errorf("ByteDance filter: %d passages, want fewer than %d and some", after, before)
		}
		chips := b.texts(t, ".chips a.chip")
		if len(chips) != 1 || !strings.Contains(chips[0], "ByteDance") {
			t.Errorf("chips %q, want one for ByteDance", chips)
		}
		if b.count(t, `.facet-company li a.active[href]`) != 1 {
			t.Error("the ByteDance facet value is not shown as active")
		}
		b.shot(t, "facet-bytedance", true)
		b.load(t, "click the chip", chromedp.Click(chromedp.CSS(".chips a.chip")))
		if got := b.total(t); got != before {
			t.Errorf("after removing the chip: %d passages, want %d again", got, before)
		}
		if n := b.count(t, ".chips a.chip"); n != 0 {
			t.Errorf("%d chips left after removing the only one", n)
		}
		b.clean(t)
	})

	t.Run("timeline", func(t *testing.T) {
		b.open(t, huaweiPath)
		before := b.total(t)
		// The tallest bar: its title says how many passages it stands for.
		bar := eval[struct {
			Href  string `json:"href"`
			Title string `json:"title"`
		}](t, b, `(() => {
			const bars = Array.from(document.querySelectorAll("svg.timeline a"));
			bars.sort((x, y) => y.querySelector("rect").height.baseVal.value - x.querySelector("rect").height.baseVal.value);
			return {href: bars[0].getAttribute("href"), title: bars[0].querySelector("title").textContent};
		})()`)
		// The years under the chart keep a legible size whatever the
		// column's width.
		axis := eval[struct {
			Size  float64 `json:"size"`
			Years string  `json:"years"`
		}](t, b, `(() => { const a = document.querySelector(".timeline-axis"); return {size: parseFloat(getComputedStyle(a).fontSize), years: a.innerText}; })()`)
		if axis.Size < 11 || !regexp.MustCompile(`^\d{4}\s+\d{4}$`).MatchString(axis.Years) {
			t.Errorf("timeline axis %q at %.1fpx, want the first and last year at 11px or more", axis.Years, axis.Size)
		}
		m := regexp.MustCompile(`^(\d{4})\D+(\d+)$`).FindStringSubmatch(bar.Title)
		if m == nil {
			t.Fatalf("bar title %q, want a year and a count", bar.Title)
		}
		want, _ := strconv.Atoi(m[2])
		b.load(t, "click the "+m[1]+" bar", chromedp.Click(chromedp.CSS(`svg.timeline a[href="`+bar.Href+`"] rect`)))
		u, err := url.Parse(b.location(t))
		if err != nil || u.Query().Get("year") != m[1] {
			t.Fatalf("after clicking the %s bar the page is %s", m[1], b.location(t))
		}
		if got := b.total(t); got != want || got >= before {
			t.Errorf("year %s: %d passages, want %d as the bar said (of %d)", m[1], got, want, before)
		}
		if n := b.count(t, "svg.timeline rect.bar.active"); n != 1 {
			t.Errorf("%d active bars, want 1", n)
		}
		if chips := b.texts(t, ".chips a.chip"); len(chips) != 1 || !strings.Contains(chips[0], m[1]) {
			t.Errorf("chips %q, want one for %s", chips, m[1])
		}
		b.clean(t)
	})

	t.Run("passage in its document", func(t *testing.T) {
		b.open(t, huaweiPath)
		href := eval[string](t, b, `document.querySelector(".hit-link").getAttribute("href")`)
		b.load(t, "open the first hit", chromedp.Click(chromedp.CSS(".hit-link")))
		u, err := url.Parse(b.location(t))
		if err != nil || !strings.HasPrefix(u.Path, "/passages/") || u.Fragment == "" {
			t.Fatalf("the hit %s led to %s", href, b.location(t))
		}
		type para struct {
			ID      string `json:"id"`
			Current string `json:"current"`
			Target  bool   `json:"target"`
			EN      string `json:"en"`
			ZH      string `json:"zh"`
			Top     int    `json:"top"`
			Height  int    `json:"height"`
			Bg      string `json:"bg"`
		}
		p := eval[para](t, b, `(() => {
			const p = document.querySelector(".para.current");
			if (!p) return null;
			const side = l => (p.querySelector('.side p[lang="' + l + '"]') || {innerText: ""}).innerText;
			return {id: p.id, current: p.getAttribute("aria-current") || "", target: p.matches(":target"),
				en: side("en"), zh: side("zh-Hans"), top: Math.round(p.getBoundingClientRect().top),
				height: innerHeight, bg: getComputedStyle(p).backgroundColor};
		})()`)
		if p.ID != u.Fragment || !p.Target || p.Current != "location" {
			t.Errorf("current passage %+v, want id %s, :target and aria-current=location", p, u.Fragment)
		}
		if p.EN == "" || p.ZH == "" {
			t.Errorf("current passage sides: en %q, zh %q; want both", p.EN, p.ZH)
		}
		if !strings.Contains(p.ZH, "华为") {
			t.Errorf("passage %s does not contain 华为: %q", p.ID, p.ZH)
		}
		if p.Top < 0 || p.Top > p.Height {
			t.Errorf("current passage is at y=%d, outside the %dpx viewport", p.Top, p.Height)
		}
		if p.Bg == "rgba(0, 0, 0, 0)" || p.Bg == "" {
			t.Errorf("current passage background %q, want it highlighted", p.Bg)
		}
		// Reached from a search: the notice is in view, the search box
		// keeps the words, a link leads back, and the words are marked.
		ctx := eval[struct {
			Top    int    `json:"top"`
			Bottom int    `json:"bottom"`
			Back   string `json:"back"`
			Q      string `json:"q"`
			Marks  int    `json:"marks"`
		}](t, b, `(() => {
			const n = document.querySelector(".para.current .passage-notice"), a = n && n.querySelector("a");
			if (!n) return {};
			const r = n.getBoundingClientRect();
			return {top: Math.round(r.top), bottom: Math.round(r.bottom), back: a ? a.getAttribute("href") : "",
				q: document.getElementById("header-q").value, marks: document.querySelectorAll(".para mark").length};
		})()`)
		if ctx.Top < 0 || ctx.Bottom == 0 || ctx.Bottom > p.Height {
			t.Errorf("passage notice at y=%d..%d, want it inside the %dpx viewport", ctx.Top, ctx.Bottom, p.Height)
		}
		if ctx.Q != "华为" {
			t.Errorf("header search box = %q, want the search's 华为", ctx.Q)
		}
		if back, err := url.Parse(ctx.Back); err != nil || back.Path != "/search" || back.Query().Get("q") != "华为" {
			t.Errorf("back link %q, want the search for 华为", ctx.Back)
		}
		if ctx.Marks < 2 {
			t.Errorf("%d marks in the document, want 华为 marked wherever it is", ctx.Marks)
		}
		if n := b.count(t, ".para"); n < 20 {
			t.Errorf("document shows %d passages, want the whole essay", n)
		}
		// The column headings are in the interface's language; only the
		// passages carry theirs.
		if n := b.count(t, `.columns-head .col-en, .columns-head .col-zh`); n != 2 {
			t.Errorf("%d column headings, want English and Chinese", n)
		}
		if n := b.count(t, `.columns-head [lang]`); n != 0 {
			t.Errorf("%d column headings carry a lang of their own, want them in the page's", n)
		}
		if n := b.count(t, `.passage-nav a[rel="prev"], .passage-nav a[rel="next"]`); n == 0 {
			t.Error("no link to a neighbouring passage")
		}
		b.shot(t, "passage", false)
		b.shot(t, "document-full", true)
		b.clean(t)
	})

	t.Run("Chinese interface", func(t *testing.T) {
		cats := readCatalogs(t)
		b.open(t, huaweiPath)
		b.load(t, "switch to Chinese", chromedp.Click(chromedp.CSS("a.ui-switch")))
		if got := eval[string](t, b, "document.documentElement.lang"); got != "zh-Hans" {
			t.Errorf("html lang = %q, want zh-Hans", got)
		}
		if got, want := b.text(t, `header.site nav a[aria-current="page"]`), cats["zh"]["nav.search"]; got != want {
			t.Errorf("current nav item %q, want %q", got, want)
		}
		if got := b.total(t); huawei > 0 && got != huawei {
			t.Errorf("Chinese interface: %d passages, want %d as in English", got, huawei)
		}
		checkTranslated(t, b, cats)
		b.shot(t, "search-huawei-zh", true)
		// The interface language sticks through a facet and a new search.
		b.load(t, "click ByteDance", chromedp.Click(chromedp.CSS(`.facet-company a[href*="company=ByteDance"]`)))
		checkTranslated(t, b, cats)
		b.do(t, "type 字节跳动", chromedp.SetValue(chromedp.CSS("#q"), "字节跳动"))
		b.load(t, "search", chromedp.Click(chromedp.CSS(`form.search button[type="submit"]`)))
		if got := eval[string](t, b, "document.documentElement.lang"); got != "zh-Hans" {
			t.Errorf("after a search from the Chinese page, html lang = %q", got)
		}
		checkTranslated(t, b, cats)
		b.load(t, "open a passage", chromedp.Click(chromedp.CSS(".hit-link")))
		checkTranslated(t, b, cats)
		// English passages keep the Latin fonts and line height in the
		// Chinese interface; Chinese ones get theirs.
		fonts := eval[map[string]struct {
			Family string  `json:"family"`
			Line   float64 `json:"line"`
		}](t, b, `(() => {
			const f = sel => { const s = getComputedStyle(document.querySelector(sel)); return {family: s.fontFamily, line: parseFloat(s.lineHeight) / parseFloat(s.fontSize)}; };
			return {en: f('.para .side p[lang="en"]'), zh: f('.para .side p[lang="zh-Hans"]'), note: f(".note")};
		})()`)
		for _, k := range []string{"en", "note"} {
			if f := fonts[k]; strings.Contains(f.Family, "PingFang") || f.Line > 1.7 {
				t.Errorf("%s text in the Chinese interface: font %q, line height %.2f; want the Latin fonts and 1.6", k, f.Family, f.Line)
			}
		}
		if f := fonts["zh"]; !strings.Contains(f.Family, "PingFang") || f.Line < 1.7 {
			t.Errorf("Chinese text: font %q, line height %.2f; want the Chinese fonts and 1.8", f.Family, f.Line)
		}
		b.open(t, "/concordance?ui=zh&q="+url.QueryEscape("华为"))
		checkTranslated(t, b, cats)
		b.open(t, "/?ui=zh")
		checkTranslated(t, b, cats)
		b.shot(t, "home-zh", true)
		b.clean(t)
	})

	t.Run("concordance", func(t *testing.T) {
		b.open(t, "/concordance?q="+url.QueryEscape("华为"))
		lines := b.count(t, "table.kwic tr.line")
		if lines == 0 {
			t.Fatal("no concordance lines for 华为")
		}
		summary := b.text(t, ".kwic-summary")
		if !strings.HasPrefix(summary, strconv.Itoa(lines)+" ") {
			t.Errorf("summary %q, but %d lines shown", summary, lines)
		}
		for i, m := range b.texts(t, "table.kwic tr.line td.match mark") {
			if m != "华为" && !strings.HasPrefix(m, "Huawei") {
				t.Errorf("line %d matches %q, want 华为 or Huawei", i+1, m)
			}
		}
		if n := b.count(t, "table.kwic tr.line td.left, table.kwic tr.line td.right"); n != 2*lines {
			t.Errorf("%d context cells for %d lines", n, lines)
		}
		b.shot(t, "concordance", true)
		b.clean(t)
	})

	t.Run("hostile query", func(t *testing.T) {
		const q = `<img src=x onerror=alert(1)>"><svg onload=alert(1)>`
		b.open(t, "/")
		b.do(t, "type the query", chromedp.SetValue(chromedp.CSS("#q"), q))
		b.load(t, "search", chromedp.Click(chromedp.CSS(`form.search button[type="submit"]`)))
		// Let an injected handler run, if there were one, before looking.
		b.settle(t)
		if got := eval[string](t, b, `document.getElementById("q").value`); got != q {
			t.Errorf("search box = %q, want the query as typed", got)
		}
		if got := b.text(t, "main .empty"); !strings.Contains(got, q) {
			t.Errorf("no-results text %q does not show the query as text", got)
		}
		if n := b.count(t, "img, [onerror], [onload], main svg:not(.timeline)"); n != 0 {
			t.Errorf("%d elements came from the query's markup", n)
		}
		// No filters were chosen: the page says so, offers searches that
		// find something, and shows no empty filter column.
		if got := b.text(t, "main .empty"); strings.Contains(got, "filter") {
			t.Errorf("no-results text %q speaks of filters, but none were chosen", got)
		}
		if n := b.count(t, "main .empty .example-queries a"); n == 0 {
			t.Error("the no-results page offers no example searches")
		}
		if n := b.count(t, "aside.facets"); n != 0 {
			t.Error("the no-results page shows a filter column with nothing in it")
		}
		b.clean(t) // fails on a dialog or a CSP violation
	})

	t.Run("keyboard", func(t *testing.T) {
		b.open(t, "/")
		b.do(t, "press Tab", chromedp.KeyEvent("\t"))
		skip := eval[struct {
			Href string `json:"href"`
			Left int    `json:"left"`
		}](t, b, `(() => { const a = document.activeElement; return {href: a.getAttribute("href") || "", left: Math.round(a.getBoundingClientRect().left)}; })()`)
		if skip.Href != "#main" || skip.Left < 0 {
			t.Errorf("first Tab focuses %+v, want the visible skip link to #main", skip)
		}
		for i := range 15 {
			if eval[string](t, b, "document.activeElement.id") == "q" {
				t.Logf("the search box is Tab number %d", i+1)
				break
			}
			if i == 14 {
				t.Fatal("15 presses of Tab do not reach the search box")
			}
			b.do(t, "press Tab", chromedp.KeyEvent("\t"))
		}
		b.clean(t)
	})

	t.Run("links", func(t *testing.T) {
		// Every link of the main pages leads somewhere: same-page anchors
		// to an element, the site's own URLs to a 200.
		seen := map[string]string{}
		for _, path := range []string{"/", huaweiPath, "/passages/huawei-bytedance-abroad/p008", "/concordance?q=" + url.QueryEscape("华为") + "&ui=zh", "/documents"} {
			b.open(t, path)
			links := eval[[]struct {
				Href   string `json:"href"`
				Anchor bool   `json:"anchor"`
				Found  bool   `json:"found"`
			}](t, b, `Array.from(document.querySelectorAll("a[href]"), a => {
				const raw = a.getAttribute("href"), id = raw.startsWith("#") ? raw.slice(1) : "";
				return {href: new URL(raw, location.href).href, anchor: id !== "", found: id !== "" && document.getElementById(id) !== null};
			})`)
			for _, l := range links {
				if l.Anchor && !l.Found {
					t.Errorf("%s links to %s, which is not on the page", path, l.Href)
				}
				u, err := url.Parse(l.Href)
				if err != nil || !strings.HasPrefix(l.Href, site.URL+"/") {
					continue // off-site links are not ours to check
				}
				u.Fragment = ""
				if _, ok := seen[u.String()]; !ok {
					seen[u.String()] = path
				}
			}
		}
		client := site.Client()
		for link, from := range seen {
			resp, err := client.Get(link)
			if err != nil {
				t.Errorf("GET %s (linked from %s): %v", link, from, err)
				continue
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Errorf("GET %s (linked from %s): status %d", link, from, resp.StatusCode)
			}
		}
		t.Logf("%d distinct links followed", len(seen))
		b.clean(t)
	})

	t.Run("phone", func(t *testing.T) {
		b.do(t, "phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulatePortrait))
		t.Cleanup(func() { b.do(t, "desktop viewport", chromedp.EmulateViewport(1366, 900)) })
		for _, pg := range []struct{ name, path string }{
			{"mobile-search", huaweiPath},
			{"mobile-home", "/"},
			{"mobile-passage", "/passages/huawei-bytedance-abroad/p008#p008"},
			{"mobile-concordance", "/concordance?q=" + url.QueryEscape("华为")},
		} {
			b.open(t, pg.path)
			w := eval[struct {
				Scroll int `json:"scroll"`
				Inner  int `json:"inner"`
			}](t, b, `({scroll: document.documentElement.scrollWidth, inner: innerWidth})`)
			if w.Scroll > w.Inner+1 {
				t.Errorf("%s is %dpx wide in a %dpx viewport", pg.path, w.Scroll, w.Inner)
			}
			switch pg.name {
			case "mobile-concordance":
				// Every line links to its passage, visibly.
				lines := b.count(t, "table.kwic tr.line")
				shown := eval[int](t, b, `Array.from(document.querySelectorAll("table.kwic tr.line td.where a")).filter(a => a.getBoundingClientRect().width > 0).length`)
				if lines == 0 || shown != lines {
					t.Errorf("%d of %d concordance lines show a link to their passage", shown, lines)
				}
			case "mobile-home":
				// Each option's label stays beside its menu.
				for _, id := range []string{"lang", "sort"} {
					gap := eval[float64](t, b, `(() => { const l = document.querySelector('label[for="`+id+`"]').getBoundingClientRect(), s = document.getElementById("`+id+`").getBoundingClientRect();
						return Math.abs((l.top + l.bottom) / 2 - (s.top + s.bottom) / 2); })()`)
					if gap > 8 {
						t.Errorf("the label of #%s is %.0fpx off its menu's line", id, gap)
					}
				}
			}
			b.shot(t, pg.name, pg.name == "mobile-search" || pg.name == "mobile-home")
		}
		b.clean(t)
	})

	t.Run("a working day", func(t *testing.T) { workChecks(t, b, site) })

	t.Run("README screenshot", func(t *testing.T) {
		if os.Getenv("CORPUS_UPDATE_SCREENSHOT") != "1" {
			t.Skip("set CORPUS_UPDATE_SCREENSHOT=1 to rewrite docs/screenshot.png")
		}
		b.do(t, "desktop viewport", chromedp.EmulateViewport(1366, 900))
		b.open(t, huaweiPath)
		src := b.shot(t, "readme", false)
		png, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join("..", "docs", "screenshot.png")
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", dst)
	})

	b.clean(t)
	t.Logf("browser test took %v", time.Since(start).Round(time.Millisecond))
}

// checkTranslated fails for each English interface string on a Chinese
// page. Content is left out first: text marked lang="en", which a
// document's English metadata and note must be.
func checkTranslated(t *testing.T, b *tab, cats map[string]map[string]string) {
	t.Helper()
	text := eval[string](t, b, `(() => {
		const body = document.body.cloneNode(true);
		body.querySelectorAll('[lang="en"], script, style').forEach(e => e.remove());
		return body.textContent;
	})()`)
	where := b.location(t)
	for key, en := range cats["en"] {
		if en == cats["zh"][key] {
			continue
		}
		for _, part := range verbs.Split(en, -1) {
			part = strings.TrimSpace(part)
			if len(part) >= 4 && strings.ContainsFunc(part, isLetter) && strings.Contains(text, part) {
				t.Errorf("%s shows the English %q (key %s) in the Chinese interface", where, part, key)
			}
		}
	}
}

func isLetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

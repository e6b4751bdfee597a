package web

import (
	"context"

	"fmt"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/corpus-dev/corpus/index"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// A researcher's working day, issue 18: filters that count what they say
// and reach every value, edges that speak plainly, suggestions as one types,
// recent searches, and no accessibility violation, at a desk (1366×900)
// and on a phone (390×844), in both interface languages.

// viewport is a browser window the checks run in.
type viewport struct {
	name          string
	width, height int64
	phone         bool
}

var viewports = []viewport{{"desktop", 1366, 900, false}, {"phone", 390, 844, true}}

// axePath is axe-core's script, which scripts/setup.sh installs outside the
// repository; CORPUS_AXE names another copy.
func axePath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CORPUS_AXE"); p != "" {
		return p
	}
	home, err := os.UserCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(home, "corpus", "axe", "node_modules", "axe-core", "axe.min.js")
}

// axeCheck runs axe-core on the page and fails for each violation.
func axeCheck(t *testing.T, b *tab, axe string) {
	t.Helper()
	if eval[bool](t, b, `typeof axe === "undefined"`) {
		b.do(t, "inject axe-core", chromedp.Evaluate[chromedp.Void](axe))
	}
	ctx, cancel := b.step()
	defer cancel()
	vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]struct {
		ID    string   `json:"id"`
		Help  string   `json:"help"`
		Nodes []string `json:"nodes"`
	}](`axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(" "))})))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe-core on %s: %v", b.location(t), err)
	}
	for _, v := range vs {
		t.Errorf("axe-core on %s: %s (%s) at %v", b.location(t), v.ID, v.Help, v.Nodes)
	}
}

// withUI adds the interface language to a path.
func withUI(path, ui string) string {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + "ui=" + ui
}

// workChecks runs the checks of issue 18 in every viewport and language.
func workChecks(t *testing.T, b *tab, site *httptest.Server) {
	axeFile := axePath(t)
	axeJS, err := os.ReadFile(axeFile)
	if err != nil {
		t.Fatalf("axe-core: %v (run scripts/setup.sh, or set CORPUS_AXE)", err)
	}
	axe := string(axeJS)
	cats := readCatalogs(t)
	// Every viewport in every language.
	for _, vp := range viewports {
		for _, ui := range uiLangs {
			t.Run(vp.name+"-"+ui, func(t *testing.T) {
				opts := []chromedp.EmulateViewportOption{}
				if vp.phone {
					opts = append(opts, chromedp.EmulateMobile, chromedp.EmulatePortrait)
				}
				b.do(t, "viewport", chromedp.EmulateViewport(vp.width, vp.height, opts...))
				t.Cleanup(func() { b.do(t, "desktop viewport", chromedp.EmulateViewport(1366, 900)) })
				T := func(key string, args ...any) string { return fmt.Sprintf(cats[ui][key], args...) }
				shot := func(name string) { b.shot(t, "work-"+vp.name+"-"+ui+"-"+name, true) }

				t.Run("language facet counts matches", func(t *testing.T) {
					b.open(t, withUI("/search?q="+url.QueryEscape(`"iron curtain"`), ui))
					langs := eval[[]string](t, b, `Array.from(document.querySelectorAll(".facet-lang li a"), a => a.getAttribute("href"))`)
					if len(langs) == 0 {
						t.Fatal("no language facet")
					}
					for _, href := range langs {
						u, _ := url.Parse(href)
						if u.Query().Get("lang") == "zh" {
							t.Errorf(`"iron curtain" offers Chinese in the language facet (%s)`, href)
						}
					}
					for _, href := range langs {
						b.open(t, withUI("/search?q="+url.QueryEscape(`"iron curtain"`), ui))
						want := eval[int](t, b, `parseInt(document.querySelector('.facet-lang li a[href="`+href+`"] .count').textContent)`)
						b.open(t, href)
						if got := b.total(t); got != want || got == 0 {
							t.Errorf("language facet %s counts %d, leads to %d", href, want, got)
						}
					}
					b.clean(t)
				})

				t.Run("every company reachable, AND and OR", func(t *testing.T) {
					b.open(t, withUI("/search", ui))
					if vp.phone {
						if eval[bool](t, b, `document.getElementById("filters").open`) {
							t.Error("the filter panel is open on a phone before it was asked for")
						}
						top := eval[[]float64](t, b, `[document.querySelector("#filters > summary").getBoundingClientRect().top, document.getElementById("results-h").getBoundingClientRect().top]`)
						if top[0] >= top[1] || top[0] > float64(vp.height) {
							t.Errorf("filter panel at y=%.0f, results at y=%.0f: want the panel first, on the first screen", top[0], top[1])
						}
						b.do(t, "open the filters", chromedp.Click(chromedp.CSS("#filters > summary")))
					}
					n := b.count(t, ".facet-company li")
					more := b.text(t, ".facet-company details.facet-more summary")
					if n <= facetShown || more == "" {
						t.Fatalf("company facet: %d values, show-all %q; want more than %d behind a show-all", n, more, facetShown)
					}
					if b.count(t, ".facet-company details.facet-more li") != n-facetShown {
						t.Errorf("show-all holds %d values, want %d", b.count(t, ".facet-company details.facet-more li"), n-facetShown)
					}
					// The last value, behind show-all, found with the filter box.
					last := eval[string](t, b, `document.querySelector(".facet-company details.facet-more li:last-child a > span").textContent`)
					b.do(t, "type in the filter box", chromedp.SendKeys(chromedp.CSS("#filter-company"), last))
					visible := eval[[]string](t, b, `Array.from(document.querySelectorAll(".facet-company li"), li => li.offsetParent ? li.querySelector("span").textContent : null).filter(Boolean)`)
					if len(visible) == 0 || len(visible) >= n || !strings.Contains(strings.Join(visible, "|"), last) {
						t.Errorf("filtering by %q shows %q of %d values", last, visible, n)
					}
					shot("facet-filter")
					b.load(t, "choose "+last, chromedp.Click(chromedp.CSS(`.facet-company details.facet-more li:last-child a`)))
					if chips := b.texts(t, ".chips a.chip"); len(chips) != 1 || !strings.Contains(chips[0], last) {
						t.Errorf("after choosing %s: chips %q", last, chips)
					}
					// Huawei OR ByteDance, then AND.
					b.open(t, withUI("/search?company=Huawei&company=ByteDance", ui))
					or := b.total(t)
					if vp.phone {
						b.do(t, "open the filters", chromedp.Click(chromedp.CSS("#filters > summary")))
					}
					b.load(t, "all of them", chromedp.Click(chromedp.CSS(`.facet-company .facet-ops a[href*="company_op=and"]`)))
					and := b.total(t)
					if and == 0 || and >= or {
						t.Errorf("Huawei AND ByteDance %d passages, OR %d: want fewer and some", and, or)
					}
					for i, tags := range eval[[]string](t, b, `Array.from(document.querySelectorAll(".hit"), h => Array.from(h.querySelectorAll(".tags a")).map(a => a.getAttribute("href")).join(" "))`) {
						if !strings.Contains(tags, "Huawei") || !strings.Contains(tags, "ByteDance") {
							t.Errorf("hit %d of Huawei AND ByteDance does not name both: %s", i+1, tags)
						}
					}
					if got := eval[string](t, b, `(document.querySelector('.facet-company .facet-ops a[aria-current="true"]') || {textContent: ""}).textContent`); got != T("facet.op.and") {
						t.Errorf("current combination %q, want %q", got, T("facet.op.and"))
					}
					// The document facet counts the hits.
					if got := eval[int](t, b, `parseInt(document.querySelector(".facet-doc li .count").textContent)`); got != and {
						t.Errorf("document facet counts %d of %d hits", got, and)
					}
					shot("and")
					axeCheck(t, b, axe)
					b.clean(t)
				})

				t.Run("filters by keyboard", func(t *testing.T) {
					b.open(t, withUI("/search?q="+url.QueryEscape("华为"), ui))
					b.do(t, "Tab", chromedp.KeyEvent("\t"))
					b.do(t, "Tab", chromedp.KeyEvent("\t"))
					if got := eval[string](t, b, `document.activeElement.getAttribute("href")`); got != "#filters" {
						t.Fatalf("second Tab focuses %q, want the skip link to the filters", got)
					}
					b.do(t, "Enter", chromedp.KeyEvent("\r"))
					b.waitFor(t, "the filters heading to take the focus", func() bool { return eval[string](t, b, "document.activeElement.id") == "facets-h" })
					if !eval[bool](t, b, `document.getElementById("filters").open`) {
						t.Error("the skip link left the filter panel closed")
					}
					b.open(t, withUI("/search?q="+url.QueryEscape("华为"), ui))
					b.do(t, "press F", chromedp.KeyEvent("f"))
					b.waitFor(t, "F to reach the filters", func() bool { return eval[string](t, b, "document.activeElement.id") == "facets-h" })
					b.clean(t)
				})

				t.Run("past the last page", func(t *testing.T) {
					b.open(t, withUI("/search?q="+url.QueryEscape("华为")+"&page=99", ui))
					if got, want := b.text(t, "#results-h"), T("results.past", 99); got != want {
						t.Errorf("heading %q, want %q", got, want)
					}
					b.load(t, "go to the last page", chromedp.Click(chromedp.CSS("main .empty a")))
					if b.count(t, "ol.hits li.hit") == 0 {
						t.Error("the last page shows no hits")
					}
					b.clean(t)
				})

				t.Run("errors in the page's language keep the filters", func(t *testing.T) {
					long := strings.Repeat("华为", index.MaxQueryRunes/2+1)
					b.do(t, "open a bad search", chromedp.Navigate(site.URL+withUI("/search?q="+url.QueryEscape(long)+"&company=Huawei", ui)))
					eval[int](t, b, "0") // the page's events have arrived once this returns
					b.watch.take()       // the 400 is logged as a failed load, on purpose
					want := T("error.param.too_long", T("error.name.q"), index.MaxQueryRunes)
					if got := b.text(t, ".error-message"); got != want {
						t.Errorf("error message %q, want %q", got, want)
					}
					b.do(t, "shorten the query", chromedp.SetValue(chromedp.CSS("#q"), "华为"))
					b.load(t, "search again", chromedp.Click(chromedp.CSS(`form.search button[type="submit"]`)))
					if chips := b.texts(t, ".chips a.chip"); len(chips) != 1 || !strings.Contains(chips[0], "Huawei") && !strings.Contains(chips[0], "华为") {
						t.Errorf("after correcting the query: chips %q, want the company filter kept", chips)
					}
					axeCheck(t, b, axe)
					b.clean(t)
				})

				t.Run("suggestions and recent searches", func(t *testing.T) {
					b.open(t, withUI("/", ui))
					b.do(t, "forget", chromedp.Evaluate[chromedp.Void](`localStorage.clear()`))
					for _, tc := range []struct{ typed, want, other string }{{"Huaw", "Huawei", "华为"}, {"华", "华为", "Huawei"}} {
						b.open(t, withUI("/", ui))
						b.do(t, "type "+tc.typed, chromedp.SendKeys(chromedp.CSS("#q"), tc.typed))
						b.waitFor(t, "suggestions for "+tc.typed, func() bool {
							return strings.Contains(b.text(t, "#q-listbox li[role=option]:not(.recent)"), tc.want)
						})
						first := b.text(t, "#q-listbox li[role=option]")
						if !strings.Contains(first, tc.want) || !strings.Contains(first, tc.other) {
							t.Errorf("typing %q suggests %q first, want %s / %s", tc.typed, first, tc.want, tc.other)
						}
						if eval[string](t, b, `document.getElementById("q").getAttribute("aria-expanded")`) != "true" {
							t.Error("the combobox does not say it is expanded")
						}
						if tc.typed == "Huaw" {
							shot("suggest")
							axeCheck(t, b, axe)
						}
						if vp.phone {
							continue // a phone has no arrow keys; the desk checks the choice
						}
						b.do(t, "down", chromedp.KeyEvent(kb.ArrowDown))
						b.waitFor(t, "an active option", func() bool {
							return eval[string](t, b, `document.getElementById("q").getAttribute("aria-activedescendant") || ""`) != ""
						})
						// chromedp.KeyEvent("\r") also sends a "char" event, which
						// submits the form whatever the keydown handler did; a real
						// Enter whose keydown is cancelled types no character.
						b.do(t, "choose it", pressEnter())
						b.waitFor(t, "the choice in the box", func() bool { return eval[string](t, b, `document.getElementById("q").value`) == tc.want+" " })
					}
					b.open(t, withUI("/search?q="+url.QueryEscape("华为"), ui))
					b.open(t, withUI("/search?q=Huawie", ui))
					if got := b.text(t, ".did-you-mean a"); got != "Huawei" {
						t.Errorf("did you mean %q, want Huawei", got)
					}
					b.load(t, "take the correction", chromedp.Click(chromedp.CSS(".did-you-mean a")))
					if b.total(t) == 0 {
						t.Error("the correction finds nothing")
					}
					b.open(t, withUI("/", ui))
					recent := b.texts(t, ".recent li a")
					if len(recent) < 2 || recent[0] != "Huawei" || !slices.Contains(recent, "华为") {
						t.Errorf("recent searches %q, want Huawei (the correction) first, and 华为", recent)
					}
					b.do(t, "focus the empty box", chromedp.Focus(chromedp.CSS("#q")))
					b.waitFor(t, "the recent searches in the box", func() bool { return b.count(t, "#q-listbox li.recent") >= 2 })
					shot("recent")
					axeCheck(t, b, axe)
					b.do(t, "forget them", chromedp.Click(chromedp.CSS(".recent button")))
					if n := eval[int](t, b, `JSON.parse(localStorage.getItem("corpus.recent") || "[]").length`); n != 0 || b.count(t, ".recent") != 0 {
						t.Errorf("after forgetting: %d kept, %d sections", n, b.count(t, ".recent"))
					}
					b.clean(t)
				})

				readChecks(t, readCheck{b: b, site: site, vp: vp, ui: ui, T: T, axe: axe, shot: shot})

				t.Run("no violations, no overflow", func(t *testing.T) {
					for _, path := range []string{"/", "/search?q=" + url.QueryEscape("华为"), "/passages/huawei-bytedance-abroad/p008", "/concordance?q=" + url.QueryEscape("华为"), "/documents"} {
						b.open(t, withUI(path, ui))
						axeCheck(t, b, axe)
					}
					if vp.phone {
						b.do(t, "320px", chromedp.EmulateViewport(320, 700, chromedp.EmulateMobile))
						for _, path := range []string{"/", "/search?q=" + url.QueryEscape("华为"), "/passages/huawei-bytedance-abroad/p008", "/concordance?q=" + url.QueryEscape("华为"), "/documents"} {
							b.open(t, withUI(path, ui))
							w := eval[[]int](t, b, `[document.documentElement.scrollWidth, innerWidth]`)
							if w[0] > w[1] {
								t.Errorf("%s is %dpx wide at 320px", path, w[0])
							}
						}
						b.do(t, "back", chromedp.EmulateViewport(vp.width, vp.height, chromedp.EmulateMobile, chromedp.EmulatePortrait))
					}
					b.clean(t)
				})
			})
		}
	}
}

// pressEnter presses and releases Enter as a keyboard does: a keydown that
// the page may cancel (then no keypress follows, and no form is submitted),
// then a keyup.
func pressEnter() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeKeyDown, input.DispatchKeyEventTypeKeyUp} {
			p := input.DispatchKeyEventParams{Type: typ, Key: "Enter", Code: "Enter", WindowsVirtualKeyCode: 13}
			if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, p); err != nil {
				return err
			}
		}
		return nil
	})
}

package web

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserWorkbench drives each workbench page in Chromium, on a desktop
// and a phone, in both interface languages: the forms work without
// JavaScript's help (a submit is a plain GET), the chart is drawn, tables
// fill, nothing overflows a phone's width, and no page logs an error or
// breaks its CSP. Screenshots go to testdata/screenshots (or
// $CORPUS_SCREENSHOTS) as workbench-*.png.
func TestBrowserWorkbench(t *testing.T) {
	srv := realSite(t)
	b := openTab(t, srv.URL)
	pages := []struct {
		name, path string
		check      func(t *testing.T)
	}{
		{"frequency", "/frequency?q=technology&lang=en&by=year", func(t *testing.T) {
			if n := b.count(t, ".wb-chart svg rect.bar"); n < 5 {
				t.Errorf("the chart has %d bars, want one per year (10)", n)
			}
			forms := b.texts(t, ".wb-table tbody td:nth-child(2)")
			if len(forms) < 4 || forms[0] != "technology" {
				t.Errorf("forms %v, want technology first", forms)
			}
		}},
		{"collocations", "/collocations?q=" + url.QueryEscape("华为") + "&lang=zh", func(t *testing.T) {
			first := b.text(t, ".wb-table tbody tr:first-child td:nth-child(2) a")
			if first != "字节跳动" {
				t.Errorf("first collocate %q, want 字节跳动", first)
			}
		}},
		{"words", "/words?stop=0", func(t *testing.T) {
			if n := b.count(t, ".wb-columns .wb-table tbody tr"); n < 100 {
				t.Errorf("%d words listed, want 100 or more", n)
			}
		}},
		{"parallel", "/parallel?en=technology&zh=" + url.QueryEscape("-技术"), func(t *testing.T) {
			if n := b.count(t, "ol.wb-hits li.hit"); n == 0 {
				t.Error("no hits")
			}
			if n := b.count(t, ".wb-equiv li"); n == 0 {
				t.Error("no equivalents listed")
			}
		}},
	}
	for _, size := range []struct {
		name   string
		w, h   int64
		mobile bool
	}{{"desktop", 1366, 900, false}, {"phone", 390, 844, true}} {
		t.Run(size.name, func(t *testing.T) {
			if size.mobile {
				b.do(t, "phone viewport", chromedp.EmulateViewport(size.w, size.h, chromedp.EmulateMobile, chromedp.EmulatePortrait))
			} else {
				b.do(t, "desktop viewport", chromedp.EmulateViewport(size.w, size.h))
			}
			for _, pg := range pages {
				for _, ui := range []string{"en", "zh"} {
					b.open(t, pg.path+"&ui="+ui)
					b.settle(t)
					pg.check(t)
					w := eval[struct {
						Scroll int `json:"scroll"`
						Inner  int `json:"inner"`
					}](t, b, `({scroll: document.documentElement.scrollWidth, inner: innerWidth})`)
					if w.Scroll > w.Inner+1 {
						t.Errorf("%s (%s) is %dpx wide in a %dpx viewport", pg.path, ui, w.Scroll, w.Inner)
					}
					if ui == "en" || size.mobile {
						b.shot(t, "workbench-"+pg.name+"-"+size.name+"-"+ui, true)
					}
				}
			}
			// The collocation form, sent as a user would: a wider window
			// on the left only changes the URL and the table.
			b.open(t, "/collocations?q=Huawei&lang=en")
			b.load(t, "submit the collocation form",
				chromedp.SetValue(chromedp.CSS("#span"), "left"),
				chromedp.SetValue(chromedp.CSS("#window"), "5"),
				chromedp.Click(chromedp.CSS("form.wb button[type=submit]")))
			if loc := b.location(t); !strings.Contains(loc, "span=left") || !strings.Contains(loc, "window=5") {
				t.Errorf("after submitting: %s, want span=left and window=5", loc)
			}
			// The parallel form with both boxes.
			b.open(t, "/parallel")
			b.load(t, "submit the parallel form",
				chromedp.SetValue(chromedp.CSS("#en"), `"iron curtain"`),
				chromedp.SetValue(chromedp.CSS("#zh"), "铁幕"),
				chromedp.Click(chromedp.CSS(".wb-boxes ~ p button[type=submit]")))
			if n := b.count(t, "ol.wb-hits li.hit"); n != 4 {
				t.Errorf("en \"iron curtain\" and zh 铁幕: %d hits, want 4", n)
			}
			if n := b.count(t, `ol.wb-hits [lang="zh-Hans"] mark`); n < 4 {
				t.Errorf("%d marks on the Chinese side, want 铁幕 in each of the 4", n)
			}
			b.clean(t)
		})
	}
}

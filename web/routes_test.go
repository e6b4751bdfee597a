package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/corpus-dev/corpus/index"
)

// routeCase is a request through the router and what must come back.
type routeCase struct {
	target string
	code   int
	want   []string // substrings of the body
	ctype  string   // prefix of the Content-Type, if checked
}

// bad* build hostile queries.
var (
	longQ     = strings.Repeat("a", index.MaxQueryRunes+1)
	starsQ    = strings.Repeat("a*", 200)
	longZH    = strings.Repeat("华", index.MaxQueryRunes+1) // 3003 bytes, 1001 characters
	htmlCType = "text/html"
	jsonCType = "application/json"
)

// routeCases cover every route, good and bad input. The OpenAPI test
// checks every JSON answer among them against the schema.
var routeCases = []routeCase{
	// Search pages.
	{"/", 200, []string{"华为", "Huawei", "字节跳动", "iron curtain", "2 documents, 10 passages in all.", `href="/documents/zhang-yiming-interview"`}, htmlCType},
	{"/?ui=zh", 200, []string{`<html lang="zh-Hans">`, "检索语料库", "共 2 篇文献"}, htmlCType},
	{"/?q=%E5%8D%8E%E4%B8%BA", 200, []string{"<mark>华为</mark>"}, htmlCType},
	{"/search?q=%E5%8D%8E%E4%B8%BA", 200, []string{"<mark>华为</mark>", "Passages 1–4 of 4", `href="/passages/huawei-bytedance/p002?q=%E5%8D%8E%E4%B8%BA#p002"`}, htmlCType},
	{"/search?q=Huawei", 200, []string{"<mark>Huawei</mark>", `lang="zh-Hans">华为</span>`}, htmlCType},
	{"/search?q=%22trade+war%22", 200, []string{"<mark>trade war</mark>", "科技铁幕"}, htmlCType},
	{"/search?q=%E4%BB%BB%E6%AD%A3%E9%9D%9E+%E8%AF%B4", 200, []string{"<mark>任正非</mark>", "<mark>说</mark>"}, htmlCType},
	{"/search", 200, []string{"Passages 1–10 of 10", `class="timeline"`}, htmlCType},
	{"/search?page=9&size=3", 200, []string{"Page 9 is past the end", "The 10 passages found fill 4 pages.", `<a href="/search?page=4&amp;size=3">Go to the last page (4)</a>`}, htmlCType},
	{"/search?page=9&size=3&ui=zh", 200, []string{"第 9 页超出了结果范围", "转到最后一页（第 4 页）"}, htmlCType},
	{"/search?page=2&size=3", 200, []string{"Passages 4–6 of 10", `rel="prev"`, `rel="next"`, `aria-current="page">2<`}, htmlCType},
	{"/search?company=Huawei&year=2009", 200, []string{"Company: Huawei", "Year: 2009", "Passages 1–1 of 1"}, htmlCType},
	{"/search?company=Huawei&ui=zh", 200, []string{"公司：华为", `name="ui" value="zh"`}, htmlCType},
	{"/search?year_from=2005&year_to=2010", 200, []string{"From 2005", "Until 2010"}, htmlCType},
	{"/search?section=caption", 200, []string{"Section: Caption", "Passages 1–1 of 1"}, htmlCType},
	{"/search?lang=zh&q=Huawei", 200, []string{"No passages match", "without Matching in: Chinese"}, htmlCType},
	{"/search?q=nothing-matches-this", 200, []string{"No passages match", "No passage matches “nothing-matches-this”.", "Check the spelling", `href="/search?q=Huawei"`, "Browse every passage"}, htmlCType},
	{"/search?q=%E5%8D%8E%E4%B8%BA&speaker=Zhang+Yiming&year=2016", 200, []string{"No passages match", "with the filters chosen", "Try removing a filter", "without Speaker: Zhang Yiming", "without Year: 2016", `href="/search?q=%E5%8D%8E%E4%B8%BA&amp;year=2016"`, "Show the filters without the query words", `href="/search?speaker=Zhang&#43;Yiming&amp;year=2016"`}, htmlCType},
	{"/search?q=*", 200, nil, htmlCType},
	{"/search?q=%2F.*%2F", 200, nil, htmlCType},
	{"/search?facet=company&foo=bar", 200, []string{"Passages 1–10 of 10"}, htmlCType},
	{"/search?company=NoSuchCompany", 200, []string{"No passages match", "without Company: NoSuchCompany"}, htmlCType},
	{"/search?sort=-year", 200, []string{`value="-year" selected`}, htmlCType},
	{"/search?q=" + starsQ, 200, nil, htmlCType},
	{"/search?q=" + longQ, 400, []string{"The query is too long: at most 1000 characters.", `value="` + longQ[:100]}, htmlCType},
	{"/search?q=" + longZH, 400, []string{"The query is too long: at most 1000 characters."}, htmlCType},
	{"/search?q=%ff", 400, []string{"The query is not valid text."}, htmlCType},
	{"/search?q=a%00b", 400, []string{"The query contains a control character.", `value="ab"`}, htmlCType},
	{"/search?q=a%0Ab", 200, []string{`value="a b"`}, htmlCType},
	{"/search?page=-1", 400, []string{"The page number must be a whole number from 1 to 1000."}, htmlCType},
	{"/search?page=0", 400, []string{"page number must be"}, htmlCType},
	{"/search?page=abc", 400, []string{"page number must be"}, htmlCType},
	{"/search?page=1e9", 400, []string{"page number must be"}, htmlCType},
	{"/search?page=1001", 400, []string{"page number must be"}, htmlCType},
	{"/search?size=-1", 400, []string{"size must be a whole number from 1 to 100"}, htmlCType},
	{"/search?size=0", 400, []string{"size must be"}, htmlCType},
	{"/search?size=abc", 400, []string{"size must be"}, htmlCType},
	{"/search?size=1e9", 400, []string{"size must be"}, htmlCType},
	{"/search?size=101", 400, []string{"size must be"}, htmlCType},
	{"/search?page=1&page=2", 400, []string{"The page number is given 2 times; give it once."}, htmlCType},
	{"/search?sort=bogus", 400, []string{"The order must be one of: relevance, position, year, -year."}, htmlCType},
	{"/search?lang=fr", 400, []string{"The language must be one of: en, zh, all."}, htmlCType},
	{"/search?section=appendix", 400, []string{"The section must be one of: title, body, caption, reference."}, htmlCType},
	{"/search?year=09", 400, []string{"year must be a year of four digits"}, htmlCType},
	{"/search?year=twenty", 400, []string{"year must be"}, htmlCType},
	{"/search?year_from=2010&year_to=2001", 400, []string{"The first year, 2010, is after the last year, 2001."}, htmlCType},
	{"/search?q=%22trade", 400, []string{"a quote is not closed", `value="&#34;trade"`}, htmlCType},
	{"/search?q=" + longQ + "&company=Huawei&year=2009&ui=zh", 400, []string{"检索词太长了：最多 1000 个字符。", `<input type="hidden" name="company" value="Huawei">`, `<input type="hidden" name="year" value="2009">`}, htmlCType},
	{"/search?q=Huawei&company=Huawei&year=20x9", 400, []string{"The year must be a year of four digits, like 2009.", `<input type="hidden" name="company" value="Huawei">`, `value="Huawei"`}, htmlCType},
	{"/search?q=x&ui=zh&page=0", 400, []string{"无法执行此检索", "页码必须是 1 到 1000 之间的整数。"}, htmlCType},

	// Concordance.
	{"/concordance", 200, []string{"Enter words to see"}, htmlCType},
	{"/concordance?q=%E5%8D%8E%E4%B8%BA", 200, []string{"<mark>华为</mark>", "<details>", "4 lines from 4 passages"}, htmlCType},
	{"/concordance?q=Huawei&sort=left", 200, []string{"<mark>Huawei</mark>", "Left context ↓"}, htmlCType},
	{"/concordance?q=Huawei&sort=right", 200, []string{"Right context ↓"}, htmlCType},
	{"/concordance?q=nothing-matches-this", 200, []string{"No line matches"}, htmlCType},
	{"/concordance?q=Huawei&sort=up", 400, []string{"The order must be one of: left, right."}, htmlCType},
	{"/concordance?q=%ff", 400, []string{"not valid text", `action="/concordance"`}, htmlCType},

	// Documents and passages.
	{"/documents", 200, []string{"Huawei and ByteDance abroad", "Passages: 8", `href="/documents/zhang-yiming-interview"`}, htmlCType},
	{"/documents/huawei-bytedance", 200, []string{`id="p002"`, "华为在达拉斯扎根", "Huawei Annual Report 2009", "2010-03-31", "References"}, htmlCType},
	{"/documents/nope", 404, []string{"Not found"}, htmlCType},
	{"/documents/%2e%2e", 404, nil, htmlCType},
	{"/passages/huawei-bytedance/p002", 200, []string{`class="para section-body current" id="p002"`, `href="/passages/huawei-bytedance/p001#p001" rel="prev"`, `href="/passages/huawei-bytedance/p003#p003" rel="next"`}, htmlCType},
	{"/passages/huawei-bytedance%2Fp002", 200, []string{`id="p002" aria-current="location"`}, htmlCType},
	{"/passages/huawei-bytedance/p000", 200, []string{"First passage"}, htmlCType},
	// A passage reached from a search marks its words, keeps them in the
	// search box and links back to the results; its neighbours carry it on.
	{"/passages/huawei-bytedance/p002?q=%E5%8D%8E%E4%B8%BA&page=2", 200, []string{
		`<p lang="zh-Hans">2001年，中国加入世贸组织，<mark>华为</mark>在达拉斯扎根。</p>`, `id="header-q" name="q" value="华为"`,
		`<a href="/search?page=2&amp;q=%E5%8D%8E%E4%B8%BA">‹ Back to the results</a></p>`,
		`href="/passages/huawei-bytedance/p003?page=2&amp;q=%E5%8D%8E%E4%B8%BA#p003" rel="next"`,
		`href="/search?doc=huawei-bytedance&amp;q=%E5%8D%8E%E4%B8%BA"`,
	}, htmlCType},
	{"/documents/huawei-bytedance?q=%E5%8D%8E%E4%B8%BA", 200, []string{`<mark>华为</mark>在达拉斯扎根`, "Back to the results"}, htmlCType},
	// A search that is not one leaves the page as it is.
	{"/passages/huawei-bytedance/p002?q=%22trade", 200, []string{`class="para section-body current"`}, htmlCType},
	{"/passages/huawei-bytedance/p002?lang=fr&q=%E5%8D%8E%E4%B8%BA", 200, []string{`<p lang="zh-Hans">2001年，中国加入世贸组织，华为在达拉斯扎根。</p>`}, htmlCType},
	{"/passages/huawei-bytedance/p999", 404, []string{"Not found"}, htmlCType},
	{"/passages/", 404, nil, htmlCType},
	{"/nope", 404, []string{"Not found"}, htmlCType},

	// Files.
	{"/static/app.css", 200, []string{".para:target"}, "text/css"},
	{"/static/app.js", 200, []string{"autosubmit"}, "text/javascript"},
	{"/static/nope.css", 404, nil, ""},
	{"/static/../server.go", 404, nil, ""},
	{"/static/", 404, nil, ""},
	{"/favicon.ico", 200, nil, "image/"},

	// JSON API.
	{"/api/search?q=%E5%8D%8E%E4%B8%BA", 200, []string{`"total":4`, `"label_zh":"华为"`, `"year":[{"value":2001,"count":1}`}, jsonCType},
	{"/api/search", 200, []string{`"total":10`, `"q":""`}, jsonCType},
	{"/api/search?q=nothing-matches-this", 200, []string{`"hits":[]`, `"company":[]`}, jsonCType},
	{"/api/search?company=Huawei&company=ByteDance&sort=-year&size=2&page=2", 200, []string{`"page":2`, `"size":2`}, jsonCType},
	{"/api/search?q=%ff", 400, []string{`{"error":"bad query: q is not valid UTF-8 text"}`}, jsonCType},
	{"/api/search?q=" + longQ, 400, []string{"too long"}, jsonCType},
	{"/api/search?facet=company", 400, []string{`unknown parameter \"facet\"`}, jsonCType},
	{"/api/search?ui=zh", 400, []string{"unknown parameter"}, jsonCType},
	{"/api/search?page=0", 400, []string{"page must be"}, jsonCType},
	{"/api/search?size=1e9", 400, []string{"size must be"}, jsonCType},
	{"/api/search?q=%22trade", 400, []string{"a quote is not closed"}, jsonCType},
	{"/api/search?format=xml", 400, []string{"format must be json, csv or jsonl"}, jsonCType},
	{"/api/search?format=csv&q=%E5%8D%8E%E4%B8%BA", 200, []string{"id,doc,position,section,en,zh,companies,years,speakers\n"}, "text/csv"},
	{"/api/search?format=jsonl&q=%E5%8D%8E%E4%B8%BA", 200, []string{`"id":"huawei-bytedance/p002"`}, "application/x-ndjson"},
	{"/api/search.csv?q=%E5%8D%8E%E4%B8%BA", 200, []string{"huawei-bytedance/p002,huawei-bytedance,2,body,"}, "text/csv"},
	{"/api/search.csv?q=zzyzx", 200, []string{"id,doc,position,section,en,zh,companies,years,speakers\n"}, "text/csv"},
	{"/api/search?format=jsonl&q=zzyzx", 200, nil, "application/x-ndjson"},
	{"/api/search.csv?q=%22unclosed", 400, []string{"not closed"}, jsonCType},
	{"/api/search.csv?page=abc", 400, []string{"page must be"}, jsonCType},
	{"/api/search.csv?format=csv", 400, []string{"unknown parameter"}, jsonCType},
	{"/api/passages/huawei-bytedance/p002", 200, []string{`"prev":"huawei-bytedance/p001"`, `"document":{"id":"huawei-bytedance"`}, jsonCType},
	{"/api/passages/huawei-bytedance%2Fp002", 200, []string{`"id":"huawei-bytedance/p002"`}, jsonCType},
	{"/api/passages/huawei-bytedance/p000", 200, []string{`"prev":null`}, jsonCType},
	{"/api/passages/huawei-bytedance/p001", 200, []string{`"corrections":[{"added":{"speakers":["Ren Zhengfei"]},"removed":{},"why":"The machine translation lost the quotation marks."}]`}, jsonCType},
	{"/search?q=Ren+Zhengfei", 200, []string{`<p class="corrected"><span class="corrected-label">Facets corrected by hand:</span> added Speaker: Ren Zhengfei. <span lang="en">The machine translation lost the quotation marks.</span></p>`}, "text/html"},
	{"/search?q=Ren+Zhengfei&ui=zh", 200, []string{`人工校正的分面：</span> 增加 发言人：任正非。`}, "text/html"},
	{"/api/passages/nope/p000", 404, []string{`{"error":"not found"}`}, jsonCType},
	{"/api/passages/", 404, []string{`"error"`}, jsonCType},
	{"/api/documents", 200, []string{`"passages":8`, `"picture_source":"Visual China"`}, jsonCType},
	{"/api/documents/huawei-bytedance", 200, []string{`"references":[{"number":1`, `"passage":"huawei-bytedance/p007"`}, jsonCType},
	{"/api/documents/zhang-yiming-interview", 200, []string{`"references":[]`}, jsonCType},
	{"/api/documents/nope", 404, []string{`{"error":"not found"}`}, jsonCType},
	{"/api/suggest?q=Huaw", 200, []string{`"suggestions":[{"text":"Huawei","other":"华为","lang":"en","entity":true`}, jsonCType},
	{"/api/suggest?q=%E5%8D%8E", 200, []string{`{"text":"华为","other":"Huawei","lang":"zh"`}, jsonCType},
	{"/api/suggest?q=trade+Huaw", 200, []string{`"text":"Huawei"`}, jsonCType},
	{"/api/suggest?q=zzzz", 200, []string{`"suggestions":[]`}, jsonCType},
	{"/api/suggest", 200, []string{`"suggestions":[]`}, jsonCType},
	{"/api/suggest?q=Huaw&n=0", 400, []string{`n must be a whole number from 1 to 10`}, jsonCType},
	{"/api/suggest?q=Huaw&x=1", 400, []string{`unknown parameter`}, jsonCType},
	{"/api/openapi.json", 200, []string{`"openapi": "3.0.3"`}, jsonCType},
	{"/api/nope", 404, []string{`{"error":"not found"}`}, jsonCType},
	{"/healthz", 200, []string{`{"status":"ok","ready":true,"version":"test","generation":"gen-test","documents":2,"passages":10,`}, jsonCType},
	{"/readyz", 200, []string{`"ready":true`}, jsonCType},
	{"/metrics", 200, []string{"corpus_search_slots ", "corpus_http_requests_total"}, ""},
}

func TestRoutes(t *testing.T) {
	ts := newTestServer(t, newFake(), 0)
	for _, tc := range routeCases {
		rec := ts.get(t, tc.target)
		body := rec.Body.String()
		if rec.Code != tc.code {
			t.Errorf("GET %s: status %d, want %d; body:\n%.600s", tc.target, rec.Code, tc.code, body)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s: body lacks %q; body:\n%.2000s", tc.target, w, body)
			}
		}
		if ct := rec.Header().Get("Content-Type"); tc.ctype != "" && !strings.HasPrefix(ct, tc.ctype) {
			t.Errorf("GET %s: Content-Type %q, want %s…", tc.target, ct, tc.ctype)
		}
	}
}

func TestSecurityHeaders(t *testing.T) {
	ts := newTestServer(t, newFake(), 0)
	want := map[string]string{
		"X-Content-Type-Options": "nosniff",
		"X-Frame-Options":        "DENY",
		"Referrer-Policy":        "same-origin",
		"Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
			"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
	}
	for _, target := range []string{"/", "/search?q=x", "/search?page=0", "/nope", "/api/search", "/api/nope", "/static/app.css", "/healthz"} {
		rec := ts.get(t, target)
		for k, v := range want {
			if got := rec.Header().Get(k); got != v {
				t.Errorf("GET %s: %s = %q, want %q", target, k, got, v)
			}
		}
	}
	for target, want := range map[string]string{
		"/static/app.css":  "public, max-age=31536000, immutable",
		"/favicon.ico":     "public, max-age=31536000, immutable",
		"/static/nope.css": "",
		"/search":          "",
	} {
		if got := ts.get(t, target).Header().Get("Cache-Control"); got != want {
			t.Errorf("GET %s: Cache-Control = %q, want %q", target, got, want)
		}
	}
	// The pages must satisfy the policy: no inline script or style.
	for _, target := range []string{"/", "/search", "/documents/huawei-bytedance", "/concordance?q=Huawei", "/nope"} {
		body := ts.get(t, target).Body.String()
		for _, bad := range []string{"<script>", "<style", " style=", " onclick=", " onload="} {
			if strings.Contains(body, bad) {
				t.Errorf("GET %s: page has %q, which the CSP forbids", target, bad)
			}
		}
	}
}

func TestStaticVersioned(t *testing.T) {
	ts := newTestServer(t, newFake(), 0)
	body := ts.get(t, "/").Body.String()
	want := `href="/static/app.css?v=` + ts.s.assetVersion + `"`
	if !strings.Contains(body, want) {
		t.Errorf("home page lacks %s", want)
	}
}

func TestUILanguage(t *testing.T) {
	ts := newTestServer(t, newFake(), 0)
	for _, tc := range []struct {
		target, accept, want string
	}{
		{"/", "", `lang="en"`},
		{"/", "zh-CN,zh;q=0.9,en;q=0.8", `lang="zh-Hans"`},
		{"/", "zh-TW", `lang="zh-Hans"`},
		{"/", "fr-FR", `lang="en"`},
		{"/", "garbage;;q=x", `lang="en"`},
		{"/?ui=en", "zh-CN", `lang="en"`},
		{"/?ui=zh", "en", `lang="zh-Hans"`},
		{"/?ui=xx", "", `lang="en"`},
	} {
		rec := ts.get(t, tc.target, "Accept-Language", tc.accept)
		if body := rec.Body.String(); !strings.Contains(body, "<html "+tc.want) {
			t.Errorf("GET %s with Accept-Language %q: want <html %s>", tc.target, tc.accept, tc.want)
		}
	}
	// A chosen language sticks to links and forms; a negotiated one varies.
	body := ts.get(t, "/search?q=Huawei&ui=zh").Body.String()
	for _, w := range []string{`href="/passages/huawei-bytedance/p002?q=Huawei&amp;ui=zh#p002"`, `href="/documents?ui=zh"`, `<input type="hidden" name="ui" value="zh">`, `href="/search?q=Huawei&amp;ui=en"`} {
		if !strings.Contains(body, w) {
			t.Errorf("GET /search?q=Huawei&ui=zh: body lacks %s", w)
		}
	}
	if v := ts.get(t, "/").Header().Get("Vary"); v != "Accept-Language" {
		t.Errorf("GET /: Vary = %q, want Accept-Language", v)
	}
}

func TestFacetLinksToggle(t *testing.T) {
	ts := newTestServer(t, newFake(), 0)
	body := ts.get(t, "/search?company=Huawei&page=2").Body.String()
	// The selected value links to its removal, another value adds to it;
	// both start over at page 1.
	for _, w := range []string{
		`<a href="/search" class="active"><span lang="en">Huawei</span>`,
		`href="/search?company=Huawei&amp;year=2009"`,
	} {
		if !strings.Contains(body, w) {
			t.Errorf("GET /search?company=Huawei&page=2: body lacks %s", w)
		}
	}
}

func TestMethodAndBodyLimits(t *testing.T) {
	ts := newTestServer(t, newFake(), 0)
	rec := ts.do(t, httptest.NewRequest(http.MethodPost, "/search", strings.NewReader("q=x")))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST /search: status %d, want 405", rec.Code)
	}
	big := strings.NewReader(strings.Repeat("x", 2<<20))
	rec = ts.do(t, httptest.NewRequest(http.MethodPost, "/api/search", big))
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("POST /api/search with 2 MB: status %d, want 413", rec.Code)
	}
	if !strings.Contains(rec.Body.String(), `"error"`) {
		t.Errorf("POST /api/search with 2 MB: body %q, want a JSON error", rec.Body.String())
	}
}

func TestInternalErrorsAreGeneric(t *testing.T) {
	for _, tc := range []struct {
		name string
		fake *fakeSearcher
		log  string
	}{
		{"error", &fakeSearcher{err: errFake}, "disk on fire"},
		{"panic", &fakeSearcher{panics: true}, "goroutine"},
		{"index panic", &fakeSearcher{err: &index.PanicError{Op: "search", Value: "secret offset", Stack: []byte("goroutine 7 [running]: zapx.marker")}}, "zapx.marker"},
	} {
		ts := newTestServer(t, tc.fake, 0)
		for _, target := range []string{"/search?q=x", "/api/search?q=x", "/concordance?q=x"} {
			rec := ts.get(t, target)
			body := rec.Body.String()
			if rec.Code != http.StatusInternalServerError {
				t.Errorf("%s: GET %s: status %d, want 500", tc.name, target, rec.Code)
			}
			for _, secret := range []string{"disk on fire", "secret", "exploded", "goroutine"} {
				if strings.Contains(body, secret) {
					t.Errorf("%s: GET %s: body shows %q:\n%s", tc.name, target, secret, body)
				}
			}
			if strings.HasPrefix(target, "/api/") && body != `{"error":"internal error"}`+"\n" {
				t.Errorf("%s: GET %s: body %q, want the generic JSON error", tc.name, target, body)
			}
		}
		if log := ts.log.String(); !strings.Contains(log, tc.log) || !strings.Contains(log, "level=ERROR") {
			t.Errorf("%s: log lacks an error with %q:\n%s", tc.name, tc.log, log)
		}
	}
}

func TestTimeout(t *testing.T) {
	ts := newTestServer(t, &fakeSearcher{block: true}, 20*time.Millisecond)
	for _, target := range []string{"/search?q=x", "/api/search?q=x"} {
		rec := ts.get(t, target)
		if rec.Code != http.StatusServiceUnavailable {
			t.Errorf("GET %s with a stuck index: status %d, want 503", target, rec.Code)
		}
	}
}

func TestRequestLog(t *testing.T) {
	ts := newTestServer(t, newFake(), 0)
	ts.get(t, "/search?q=Huawei")
	ts.get(t, "/api/nope")
	log := ts.log.String()
	for _, w := range []string{"msg=request method=GET path=/search status=200 duration=", "path=/api/nope status=404"} {
		if !strings.Contains(log, w) {
			t.Errorf("log lacks %q:\n%s", w, log)
		}
	}
	if strings.Contains(log, "Huawei") {
		t.Errorf("log holds the query text; it should log paths only:\n%s", log)
	}
}

func TestJSONArraysNeverNull(t *testing.T) {
	ts := newTestServer(t, &fakeSearcher{}, 0)
	for _, target := range []string{"/api/search", "/api/documents"} {
		rec := ts.get(t, target)
		if strings.Contains(rec.Body.String(), "null") {
			t.Errorf("GET %s on an empty corpus: %s has null", target, rec.Body.String())
		}
		var v any
		if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
			t.Errorf("GET %s: %v", target, err)
		}
	}
}

// FuzzRouter sends random paths and queries through the router: whatever
// comes in, the site must not fail with a 500.
func FuzzRouter(f *testing.F) {
	for _, tc := range routeCases {
		u, err := url.Parse(tc.target)
		if err != nil {
			f.Fatalf("seed %s: %v", tc.target, err)
		}
		f.Add(u.EscapedPath(), u.RawQuery)
	}
	f.Add("/passages/%zz", "q=%zz")
	f.Add("/documents/..%2f..%2fetc", "ui=zh&ui=en")
	ts := newTestServer(f, newFake(), 0)
	f.Fuzz(func(t *testing.T, path, query string) {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.URL.Path = "/" + strings.TrimPrefix(path, "/")
		req.URL.RawPath = ""
		if p, err := url.PathUnescape(req.URL.Path); err == nil && strings.Contains(path, "%") {
			req.URL.RawPath, req.URL.Path = req.URL.Path, p
		}
		req.URL.RawQuery = query
		req.RequestURI = req.URL.RequestURI()
		rec := httptest.NewRecorder()
		ts.h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Errorf("GET path %q query %q: status %d; body:\n%.500s", path, query, rec.Code, rec.Body.String())
		}
	})
}

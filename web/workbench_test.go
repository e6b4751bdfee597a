package web

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"mime"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The workbench through the router on the real essay index: every page in
// both interface languages, every JSON answer checked against
// api/openapi.json, the downloads' names and byte-order marks.
func TestWorkbenchPages(t *testing.T) {
	ts := newTestServer(t, openEssay(t), 0)
	for _, tc := range []struct {
		target string
		code   int
		want   []string // in the body
	}{
		{"/frequency", 200, []string{`name="by"`, "wb-tabs"}},
		{"/frequency?q=technology&lang=en&by=year", 200, []string{">technological<", "<svg", `class="bar"`, "/api/frequency?by=year&amp;format=csv", ">2020<"}},
		{"/frequency?q=科技&by=doc", 200, []string{">科技<"}},
		{"/collocations?q=华为&lang=zh", 200, []string{">字节跳动<", "logDice", "/concordance?lang=zh&amp;q=%E5%8D%8E%E4%B8%BA&#43;zh%3A%E5%AD%97%E8%8A%82%E8%B7%B3%E5%8A%A8"}},
		{"/collocations?q=Huawei&lang=en&window=2&span=left&measure=mi&stop=1&min=1", 200, []string{`value="2" selected`, `value="left" selected`, `value="mi" selected`}},
		{"/words", 200, []string{">huawei<", ">华为<"}},
		{"/words?company=ByteDance&stop=1", 200, []string{">the<", "Company: ByteDance"}},
		{"/parallel", 200, []string{`name="en"`, `name="zh"`}},
		{"/parallel?en=%22iron+curtain%22&zh=-%E9%93%81%E5%B9%95", 200, []string{"No aligned passage meets both conditions."}},
		{"/parallel?en=technology&zh=-技术", 200, []string{"<mark>technology</mark>", "<mark>高科技</mark>", ">技术</a> <span class=\"count\">in 5 aligned passages"}},
		{"/parallel?en=%22iron+curtain%22", 200, []string{"<mark>铁幕</mark>", "4 aligned passages match"}},
		{"/collocations?q=%22iron+curtain%22&lang=en&span=aligned&min=1", 200, []string{`value="aligned" selected`, ">铁幕<"}},
		{"/collocations?q=x&window=9", 400, []string{"window must be a whole number from 1 to 5"}},
		{"/frequency?q=x&by=colour", 400, []string{"by must be one of"}},
	} {
		for _, ui := range []string{"en", "zh"} {
			target := tc.target + map[bool]string{true: "&", false: "?"}[strings.Contains(tc.target, "?")] + "ui=" + ui
			rec := ts.get(t, target)
			body := rec.Body.String()
			if rec.Code != tc.code {
				t.Errorf("GET %s = %d, want %d: %.300s", target, rec.Code, tc.code, body)
				continue
			}
			if ui != "en" {
				continue // the words checked are the English interface's
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("GET %s: body lacks %q", target, w)
				}
			}
		}
	}
	ts.s.cat.missing.Range(func(k, _ any) bool {
		t.Errorf("the workbench asked for key %q, which i18n lacks", k)
		return true
	})
}

func TestWorkbenchAPI(t *testing.T) {
	sp := loadSpec(t)
	ts := newTestServer(t, openEssay(t), 0)
	for _, target := range []string{
		"/api/frequency?q=technology&by=year",
		"/api/frequency?q=华为&by=company&lang=zh",
		"/api/collocations?q=华为",
		"/api/collocations?q=Huawei&lang=en&measure=freq&span=right&window=5",
		"/api/words",
		"/api/words?q=TikTok&stop=1",
		"/api/equivalents?q=iron+curtain+铁幕",
		"/api/concordance?q=铁幕",
		"/api/concordance?q=铁幕&format=jsonl",
		"/api/frequency?q=x&bogus=1",
		"/api/collocations?q=",
		"/api/concordance?q=x&format=xml",
	} {
		rec := ts.get(t, target)
		u, _ := url.Parse(target)
		p, ok := sp.operationFor(u.Path)
		if !ok {
			t.Errorf("%s: not in openapi.json", target)
			continue
		}
		mt, _, _ := mime.ParseMediaType(rec.Header().Get("Content-Type"))
		resp, ok := sp.Paths[p]["get"].Responses[strconv.Itoa(rec.Code)]
		if !ok {
			t.Errorf("GET %s: status %d undocumented: %s", target, rec.Code, rec.Body)
			continue
		}
		content, ok := resp.Content[mt]
		if !ok {
			t.Errorf("GET %s: media type %s undocumented", target, mt)
			continue
		}
		docs := [][]byte{rec.Body.Bytes()}
		if mt == "application/x-ndjson" {
			docs = nil
			sc := bufio.NewScanner(bytes.NewReader(rec.Body.Bytes()))
			for sc.Scan() {
				docs = append(docs, bytes.Clone(sc.Bytes()))
			}
			if len(docs) == 0 {
				t.Errorf("GET %s: no lines", target)
			}
		}
		for _, d := range docs {
			v, err := decode(d)
			if err != nil {
				t.Errorf("GET %s: %v", target, err)
				continue
			}
			for _, e := range sp.validate(content.Schema, v, "$") {
				t.Errorf("GET %s: %s", target, e)
			}
		}
	}

	// The figures of the answers.
	var f apiFrequency
	getJSON(t, ts, "/api/frequency?q=technology&lang=en", &f)
	if f.Count != 18 || f.Read != f.Total || f.Cap != 2000 || !f.Size.Exact || len(f.Forms) != 4 || f.Forms[0].Form != "technology" || f.Forms[0].Count != 12 {
		t.Errorf("frequency of technology = %+v", f)
	}
	var eq apiEquivalents
	getJSON(t, ts, "/api/equivalents?q=iron+curtain", &eq)
	if len(eq.Equivalents) != 1 || eq.Equivalents[0].Text != "铁幕" || eq.Equivalents[0].Aligned != 4 || !strings.Contains(eq.Source, "CC BY-SA") {
		t.Errorf("equivalents of iron curtain = %+v", eq)
	}
	var sr apiSearchResults
	getJSON(t, ts, "/api/search?q=%E9%93%81%E5%B9%95&lang=en&expand=1", &sr)
	if sr.Total != 4 {
		t.Errorf("铁幕 in English with expand=1: %d hits, want the 4 iron curtains", sr.Total)
	}
	if rec := ts.get(t, "/concordance?q=%E9%93%81%E5%B9%95&sort=left"); !strings.Contains(rec.Body.String(), `href="/api/concordance?format=csv&amp;q=%E9%93%81%E5%B9%95"`) {
		t.Errorf("the concordance page does not link to its CSV export")
	}
	var kw apiConcordance
	getJSON(t, ts, "/api/concordance?q=%22iron+curtain%22&lang=en", &kw)
	if len(kw.Lines) != 4 {
		t.Fatalf("concordance of iron curtain: %d lines, want 4", len(kw.Lines))
	}
	for _, l := range kw.Lines {
		if strings.ToLower(l.Match) != "iron curtain" || !strings.Contains(l.Aligned, "铁幕") || l.Lang != "en" {
			t.Errorf("line %+v: want the match iron curtain and 铁幕 in the aligned line", l)
		}
	}
}

func getJSON(t *testing.T, ts *testServer, target string, v any) {
	t.Helper()
	rec := ts.get(t, target)
	if rec.Code != 200 {
		t.Fatalf("GET %s = %d: %s", target, rec.Code, rec.Body)
	}
	if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
}

// CSV downloads start with a byte-order mark (unless bom=0), are named for
// their query and date, and parse as CSV.
func TestWorkbenchCSV(t *testing.T) {
	ts := newTestServer(t, openEssay(t), 0)
	date := time.Now().UTC().Format("2006-01-02")
	for _, tc := range []struct {
		target, file, header string
		rows                 int // at least
	}{
		{"/api/frequency?q=technology&format=csv", "corpus-frequency-technology-" + date + ".csv", "lang,form,count,per_million", 4},
		{"/api/frequency?q=technology&by=year&table=rows&format=csv", "corpus-frequency-by-year-technology-" + date + ".csv", "year,label_zh,count,passages,words,per_million", 5},
		{"/api/collocations?q=%22United+States%22&format=csv&min=1", "corpus-collocations-united-states-" + date + ".csv", "lang,collocate,freq,corpus_freq,log_dice,mi", 2},
		{"/api/words?format=csv", "corpus-words-" + date + ".csv", "lang,rank,word,count,per_million", 100},
		{"/api/concordance?q=铁幕&format=csv", "corpus-concordance-" + date + ".csv", "id,doc,position,lang,left,match,right,aligned", 4},
	} {
		for _, bom := range []bool{true, false} {
			target := tc.target
			if !bom {
				target += "&bom=0"
			}
			rec := ts.get(t, target)
			if rec.Code != 200 {
				t.Errorf("GET %s = %d: %s", target, rec.Code, rec.Body)
				continue
			}
			body := rec.Body.Bytes()
			if got := bytes.HasPrefix(body, []byte("\uFEFF")); got != bom {
				t.Errorf("GET %s: byte-order mark %v, want %v", target, got, bom)
			}
			cd := rec.Header().Get("Content-Disposition")
			if !strings.Contains(cd, `filename="`+tc.file+`"`) {
				t.Errorf("GET %s: Content-Disposition %q, want file %s", target, cd, tc.file)
			}
			recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\uFEFF")))).ReadAll()
			if err != nil {
				t.Errorf("GET %s: %v", target, err)
				continue
			}
			if strings.Join(recs[0], ",") != tc.header || len(recs)-1 < tc.rows {
				t.Errorf("GET %s: header %v and %d rows, want %s and %d or more", target, recs[0], len(recs)-1, tc.header, tc.rows)
			}
		}
	}
	// The Chinese query is in the name as written, for clients that read
	// filename*.
	rec := ts.get(t, "/api/concordance?q=铁幕&format=csv")
	if cd := rec.Header().Get("Content-Disposition"); !strings.Contains(cd, "filename*=UTF-8''corpus-concordance-"+url.PathEscape("铁幕")) {
		t.Errorf("Content-Disposition %q lacks the query as written", cd)
	}
}

// A searcher without the workbench serves none of it.
func TestWorkbenchUnavailable(t *testing.T) {
	ts := newTestServer(t, newFake(), 0)
	for _, target := range []string{"/frequency?q=x", "/api/frequency?q=x", "/api/words"} {
		if rec := ts.get(t, target); rec.Code != 404 {
			t.Errorf("GET %s = %d, want 404", target, rec.Code)
		}
	}
}

package web

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
)

// fakeSearcher is a Searcher over a few documents held in memory. It
// matches words by substring (ASCII case folded), ignores -words and OR,
// and counts facets over all hits; enough to drive every page.
type fakeSearcher struct {
	docs   []corpus.Document
	labels map[string]string

	err          error  // returned by every call when set
	panics       bool   // Search panics
	block        bool   // Search waits for its context to end
	rawHighlight string // when set, every hit's highlights, breaking the index's promise
	searches     atomic.Int64
}

// fakeTook is the time every fake search says it took, so pages are
// deterministic.
const fakeTook = 1234 * time.Microsecond

func (f *fakeSearcher) Search(ctx context.Context, q index.Query) (*index.Results, error) {
	f.searches.Add(1)
	if f.panics {
		panic("fake index exploded at /secret/path")
	}
	if f.block {
		<-ctx.Done()
		return nil, fmt.Errorf("search: %w", ctx.Err())
	}
	if f.err != nil {
		return nil, f.err
	}
	if strings.Count(q.Text, `"`)%2 == 1 {
		return nil, fmt.Errorf("parse query: %w: a quote is not closed", index.ErrBadQuery)
	}
	if q.Page < 0 || q.Page > index.MaxPage || q.Size < 0 || q.Size > index.MaxSize || len(q.Text) > index.MaxQueryBytes {
		return nil, fmt.Errorf("%w: fake got page %d size %d", index.ErrBadQuery, q.Page, q.Size)
	}
	if q.Page == 0 {
		q.Page = 1
	}
	if q.Size == 0 {
		q.Size = index.DefaultSize
	}
	terms := fakeTerms(q.Text)
	if q.Sort == "" {
		q.Sort = index.SortPosition
		if len(terms) > 0 {
			q.Sort = index.SortRelevance
		}
	}
	var hits []index.Hit
	for _, d := range f.docs {
		for _, p := range d.Passages {
			if !fakeFilter(q, p) {
				continue
			}
			h := index.Hit{Passage: p, Matches: map[corpus.Lang][]index.Span{}, Highlights: map[corpus.Lang][]string{}}
			if len(terms) > 0 && !fakeMatch(terms, q.Lang, &h) {
				continue
			}
			if f.rawHighlight != "" {
				h.Highlights[corpus.English] = []string{f.rawHighlight}
			}
			hits = append(hits, h)
		}
	}
	switch q.Sort {
	case index.SortRelevance:
		slices.SortStableFunc(hits, func(a, b index.Hit) int { return cmp.Compare(b.Score, a.Score) })
	case index.SortYear, index.SortYearDesc:
		slices.SortStableFunc(hits, func(a, b index.Hit) int {
			c := cmp.Compare(firstYear(a.Passage), firstYear(b.Passage))
			if q.Sort == index.SortYearDesc {
				return -c
			}
			return c
		})
	}
	res := &index.Results{Query: q, Total: len(hits), Took: fakeTook, Terms: terms, Facets: f.facets(hits, terms)}
	from := min((q.Page-1)*q.Size, len(hits))
	res.Hits = hits[from:min(from+q.Size, len(hits))]
	return res, nil
}

func firstYear(p corpus.Passage) int {
	if len(p.Years) == 0 {
		return 0
	}
	return p.Years[0]
}

// fakeTerms splits a query into "phrases" and words, leaving out OR and
// -words.
func fakeTerms(q string) []string {
	var terms []string
	for i, part := range strings.Split(q, `"`) {
		if i%2 == 1 {
			if p := strings.TrimSpace(part); p != "" {
				terms = append(terms, p)
			}
			continue
		}
		for w := range strings.FieldsSeq(part) {
			if w != "OR" && !strings.HasPrefix(w, "-") {
				terms = append(terms, w)
			}
		}
	}
	return terms
}

func fakeFilter(q index.Query, p corpus.Passage) bool {
	anyOf := func(want, have []string) bool {
		return len(want) == 0 || slices.ContainsFunc(want, func(w string) bool { return slices.Contains(have, w) })
	}
	if !anyOf(q.Companies, p.Companies) || !anyOf(q.Speakers, p.Speakers) {
		return false
	}
	if len(q.Years) > 0 && !slices.ContainsFunc(q.Years, func(y int) bool { return slices.Contains(p.Years, y) }) {
		return false
	}
	if q.YearFrom != 0 && !slices.ContainsFunc(p.Years, func(y int) bool { return y >= q.YearFrom }) {
		return false
	}
	if q.YearTo != 0 && !slices.ContainsFunc(p.Years, func(y int) bool { return y <= q.YearTo }) {
		return false
	}
	if len(q.Sections) > 0 && !slices.Contains(q.Sections, p.Section) {
		return false
	}
	return q.Doc == "" || q.Doc == p.Doc
}

// fakeMatch fills h's matches and highlights and reports whether every
// term is on one of the allowed sides.
func fakeMatch(terms []string, lang corpus.Lang, h *index.Hit) bool {
	found := make([]bool, len(terms))
	for _, l := range corpus.Langs {
		if lang != "" && l != lang {
			continue
		}
		text := h.Passage.Text.Get(l)
		folded := asciiLower(text)
		var spans []index.Span
		for i, t := range terms {
			t = asciiLower(t)
			for off := 0; ; {
				j := strings.Index(folded[off:], t)
				if j < 0 {
					break
				}
				spans = append(spans, index.Span{Start: off + j, End: off + j + len(t)})
				off += j + len(t)
				found[i] = true
			}
		}
		if len(spans) == 0 {
			continue
		}
		slices.SortFunc(spans, func(a, b index.Span) int { return cmp.Compare(a.Start, b.Start) })
		merged := spans[:1]
		for _, s := range spans[1:] {
			if last := &merged[len(merged)-1]; s.Start < last.End {
				last.End = max(last.End, s.End)
			} else {
				merged = append(merged, s)
			}
		}
		h.Matches[l] = merged
		h.Score += float64(len(merged))
		var b strings.Builder
		prev := 0
		for _, s := range merged {
			b.WriteString(html.EscapeString(text[prev:s.Start]))
			b.WriteString("<mark>" + html.EscapeString(text[s.Start:s.End]) + "</mark>")
			prev = s.End
		}
		b.WriteString(html.EscapeString(text[prev:]))
		h.Highlights[l] = []string{b.String()}
	}
	return !slices.Contains(found, false)
}

// asciiLower lower-cases ASCII letters only, so byte offsets stay put.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func (f *fakeSearcher) facets(hits []index.Hit, terms []string) index.Facets {
	count := func(values func(corpus.Passage) []string, label bool, byValue bool) []index.FacetValue {
		n := map[string]int{}
		for _, h := range hits {
			for _, v := range values(h.Passage) {
				n[v]++
			}
		}
		var out []index.FacetValue
		for v, c := range n {
			fv := index.FacetValue{Value: v, Count: c}
			if label {
				fv.LabelZH = f.labels[v]
			}
			out = append(out, fv)
		}
		slices.SortFunc(out, func(a, b index.FacetValue) int {
			if byValue {
				return cmp.Compare(a.Value, b.Value)
			}
			return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Value, b.Value))
		})
		return out
	}
	return index.Facets{
		Company: count(func(p corpus.Passage) []string { return p.Companies }, true, false),
		Speaker: count(func(p corpus.Passage) []string { return p.Speakers }, true, false),
		Year: count(func(p corpus.Passage) []string {
			var ys []string
			for _, y := range p.Years {
				ys = append(ys, strconv.Itoa(y))
			}
			return ys
		}, false, true),
		Section: count(func(p corpus.Passage) []string { return []string{string(p.Section)} }, false, false),
		Lang: count(func(p corpus.Passage) []string {
			var ls []string
			for _, l := range corpus.Langs {
				if p.Text.Get(l) != "" {
					ls = append(ls, string(l))
				}
			}
			return ls
		}, false, false),
	}
}

func (f *fakeSearcher) Passage(ctx context.Context, id string) (*index.PassageContext, error) {
	if f.err != nil {
		return nil, f.err
	}
	for _, d := range f.docs {
		for i, p := range d.Passages {
			if p.ID != id {
				continue
			}
			pc := &index.PassageContext{Passage: p, Document: info(d)}
			if i > 0 {
				pc.Prev = d.Passages[i-1].ID
			}
			if i+1 < len(d.Passages) {
				pc.Next = d.Passages[i+1].ID
			}
			return pc, nil
		}
	}
	return nil, fmt.Errorf("passage %q: %w", id, corpus.ErrNotFound)
}

func info(d corpus.Document) index.DocumentInfo {
	n := len(d.Passages)
	d.Passages = nil
	return index.DocumentInfo{Document: d, Passages: n}
}

func (f *fakeSearcher) Document(ctx context.Context, id string) (*corpus.Document, error) {
	if f.err != nil {
		return nil, f.err
	}
	for _, d := range f.docs {
		if d.ID == id {
			return &d, nil
		}
	}
	return nil, fmt.Errorf("document %q: %w", id, corpus.ErrNotFound)
}

func (f *fakeSearcher) Documents(ctx context.Context) ([]index.DocumentInfo, error) {
	if f.err != nil {
		return nil, f.err
	}
	var out []index.DocumentInfo
	for _, d := range f.docs {
		out = append(out, info(d))
	}
	return out, nil
}

func (f *fakeSearcher) Stats() index.Stats {
	n := 0
	for _, d := range f.docs {
		n += len(d.Passages)
	}
	return index.Stats{Generation: "gen-test", Documents: len(f.docs), Passages: n, Built: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
}

func (f *fakeSearcher) LabelZH(name string) string { return f.labels[name] }

// passages numbers ps as the passages of document doc.
func passages(doc string, ps ...corpus.Passage) []corpus.Passage {
	for i := range ps {
		ps[i].ID = corpus.PassageID(doc, i)
		ps[i].Doc = doc
		ps[i].Position = i
		if ps[i].Section == "" {
			ps[i].Section = corpus.SectionBody
		}
	}
	return ps
}

// testDocs are two short documents after the default corpus's essay.
func testDocs() []corpus.Document {
	essayTitle := corpus.Text{EN: "Huawei and ByteDance abroad: a history of struggle with US politics", ZH: "华为和字节跳动出海史：与美国政界的斗争史"}
	essay := corpus.Document{
		ID: "huawei-bytedance", Title: essayTitle, Date: "2020-08-03",
		Source: "Example Weekly", Author: "Li Ming", Editor: "Wang Fang", PictureSource: "Visual China",
		Note:   "The English side is a machine translation made for this corpus.",
		Origin: "essay.en.txt",
		Passages: passages("huawei-bytedance",
			corpus.Passage{Section: corpus.SectionTitle, Text: essayTitle, Companies: []string{"Huawei", "ByteDance"}, Entities: []string{"Huawei", "ByteDance"}},
			corpus.Passage{Text: corpus.Text{
				EN: "Ren Zhengfei, back from an inspection tour of the United States, said: if the Chinese do not go out and have a look, they may fall off the train of the times.",
				ZH: "任正非从美国考察回来后说：中国人如果不出去看看，就可能被时代的列车甩下。",
			}, Speakers: []string{"Ren Zhengfei"}, Entities: []string{"Ren Zhengfei"},
				Corrections: []corpus.Correction{{Add: corpus.Facets{Speakers: []string{"Ren Zhengfei"}}, Why: "The machine translation lost the quotation marks."}}},
			corpus.Passage{Text: corpus.Text{
				EN: "In 2001, China joined the WTO, and Huawei took root in Dallas.",
				ZH: "2001年，中国加入世贸组织，华为在达拉斯扎根。",
			}, Companies: []string{"Huawei"}, Years: []int{2001}, Entities: []string{"Huawei"}},
			corpus.Passage{Section: corpus.SectionCaption, Text: corpus.Text{EN: "Ren Zhengfei", ZH: "任正非"}, Entities: []string{"Ren Zhengfei"}},
			corpus.Passage{Text: corpus.Text{
				EN: "It was also in 2009 that Zhang Yiming started his own business for the first time.",
				ZH: "也是在2009年，张一鸣第一次创业。",
			}, Years: []int{2009}, Entities: []string{"Zhang Yiming"}},
			corpus.Passage{Text: corpus.Text{
				EN: "By 2019 the trade war had become a technology iron curtain, and ByteDance's TikTok was under pressure in the United States.",
				ZH: "到2019年，贸易战已演变成科技铁幕，字节跳动旗下的TikTok在美国承受压力。",
			}, Companies: []string{"ByteDance"}, Years: []int{2019}, Entities: []string{"ByteDance", "TikTok"}},
			corpus.Passage{Text: corpus.Text{ZH: "华为表示将继续为北美客户提供服务。"}, Companies: []string{"Huawei"}, Entities: []string{"Huawei"}},
			corpus.Passage{Section: corpus.SectionReference, Text: corpus.Text{EN: "Huawei Annual Report 2009", ZH: "华为2009年年报"},
				Companies: []string{"Huawei"}, Years: []int{2009}, Entities: []string{"Huawei"}},
		),
		References: []corpus.Reference{{Number: 1, Title: corpus.Text{EN: "Huawei Annual Report 2009", ZH: "华为2009年年报"},
			Publication: "Huawei", Date: "2010-03-31", Passage: "huawei-bytedance/p007"}},
	}
	interviewTitle := corpus.Text{EN: "An interview with Zhang Yiming", ZH: "张一鸣访谈"}
	interview := corpus.Document{
		ID: "zhang-yiming-interview", Title: interviewTitle, Date: "2016", Source: "Example Daily",
		Passages: passages("zhang-yiming-interview",
			corpus.Passage{Section: corpus.SectionTitle, Text: interviewTitle, Entities: []string{"Zhang Yiming"}},
			corpus.Passage{Text: corpus.Text{
				EN: "Zhang Yiming said in 2016: ByteDance must be global from the first day.",
				ZH: "张一鸣2016年说：字节跳动从第一天起就必须全球化。",
			}, Companies: []string{"ByteDance"}, Speakers: []string{"Zhang Yiming"}, Years: []int{2016}, Entities: []string{"ByteDance", "Zhang Yiming"}},
		),
	}
	return []corpus.Document{essay, interview}
}

func testLabels() map[string]string {
	return map[string]string{"Huawei": "华为", "ByteDance": "字节跳动", "Ren Zhengfei": "任正非", "Zhang Yiming": "张一鸣", "TikTok": ""}
}

func newFake() *fakeSearcher { return &fakeSearcher{docs: testDocs(), labels: testLabels()} }

// syncBuffer is a bytes.Buffer safe for the logger of concurrent requests.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// testServer is a site over f with its log.
type testServer struct {
	h   http.Handler
	s   *server
	log *syncBuffer
}

func newTestServer(t testing.TB, f Searcher, timeout time.Duration) *testServer {
	t.Helper()
	log := &syncBuffer{}
	s, e, err := newServer(Config{
		Searcher:       f,
		Logger:         slog.New(slog.NewTextHandler(log, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Version:        "test",
		RequestTimeout: timeout,
	})
	if err != nil {
		t.Fatalf("newServer: %v", err)
	}
	return &testServer{h: e, s: s, log: log}
}

// get sends a GET for target through the router; header is name, value
// pairs.
func (ts *testServer) get(t testing.TB, target string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	return ts.do(t, httptest.NewRequest(http.MethodGet, target, nil), header...)
}

func (ts *testServer) do(t testing.TB, req *http.Request, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	ts.h.ServeHTTP(rec, req)
	return rec
}

func TestNewNeedsSearcher(t *testing.T) {
	if _, err := New(Config{}); err == nil {
		t.Fatal("New(Config{}) succeeded, want an error for the missing searcher")
	}
}

// errFake is an internal error whose text must never reach a client.
var errFake = errors.New("disk on fire at /var/lib/corpus/secret")

// Scan pages through Search, as a client of Search would.
func (f *fakeSearcher) Scan(ctx context.Context, q index.Query, limit int, fn func(total int, h index.Hit) error) error {
	if limit < 1 || limit > index.MaxExport {
		return fmt.Errorf("%w: fake scan limit %d", index.ErrBadQuery, limit)
	}
	q.Page, q.Size = 1, index.MaxSize
	n := 0
	for {
		r, err := f.Search(ctx, q)
		if err != nil {
			return err
		}
		for _, h := range r.Hits {
			if n == limit {
				return nil
			}
			if err := fn(r.Total, h); err != nil {
				return err
			}
			n++
		}
		if len(r.Hits) < q.Size || q.Page >= index.MaxPage {
			return nil
		}
		q.Page++
	}
}

func (f *fakeSearcher) DocumentInfo(ctx context.Context, id string) (index.DocumentInfo, error) {
	d, err := f.Document(ctx, id)
	if err != nil {
		return index.DocumentInfo{}, err
	}
	return info(*d), nil
}

func (f *fakeSearcher) DocumentPassages(ctx context.Context, id string, from, to int) ([]corpus.Passage, error) {
	d, err := f.Document(ctx, id)
	if err != nil {
		return nil, err
	}
	from, to = min(from, len(d.Passages)), min(to, len(d.Passages))
	return d.Passages[from:to], nil
}

// Mark finds the words of q in ps as the fake's Scan does.
func (f *fakeSearcher) Mark(ctx context.Context, q index.Query, ps []corpus.Passage) (map[string]map[corpus.Lang][]index.Span, error) {
	want := map[string]bool{}
	for _, p := range ps {
		want[p.ID] = true
	}
	out := map[string]map[corpus.Lang][]index.Span{}
	err := f.Scan(ctx, q, index.MaxExport, func(_ int, h index.Hit) error {
		if want[h.Passage.ID] {
			out[h.Passage.ID] = h.Matches
		}
		return nil
	})
	return out, err
}

// Suggest offers the entities of the fake's labels whose English or Chinese
// name begins with prefix, in the script typed.
func (f *fakeSearcher) Suggest(ctx context.Context, prefix string, n int) ([]index.Suggestion, error) {
	var out []index.Suggestion
	for name, zh := range f.labels {
		switch {
		case prefix == "":
		case strings.HasPrefix(strings.ToLower(name), strings.ToLower(prefix)):
			out = append(out, index.Suggestion{Text: name, Other: zh, Lang: corpus.English, Entity: true, Count: 1})
		case strings.HasPrefix(zh, prefix):
			out = append(out, index.Suggestion{Text: zh, Other: name, Lang: corpus.Chinese, Entity: true, Count: 1})
		}
	}
	slices.SortFunc(out, func(a, b index.Suggestion) int { return strings.Compare(a.Text, b.Text) })
	return out[:min(n, len(out))], nil
}

// DidYouMean offers the entity whose name is the query's letters in another
// order, as "Huawie" is Huawei's.
func (f *fakeSearcher) DidYouMean(ctx context.Context, text string) (string, error) {
	sorted := func(s string) string {
		r := []rune(strings.ToLower(s))
		slices.Sort(r)
		return string(r)
	}
	for name := range f.labels {
		if name != text && sorted(name) == sorted(text) {
			return name, nil
		}
	}
	return "", nil
}

package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
)

// wbTab is a tab of the workbench's pages.
type wbTab struct {
	Label, Href string
	Current     bool
}

// wbForm is the form of a workbench page: the words, the side, and the
// search's filters carried as hidden fields.
type wbForm struct {
	Action string
	Q      string
	Langs  []option
	Expand bool
	Hidden []field
}

// wbPage is what every workbench page has.
type wbPage struct {
	page
	Tabs  []wbTab
	Form  wbForm
	Chips []link
	// Cap is the most passages a request reads.
	Cap int
}

// The workbench's tabs: path and label key.
var wbTabs = []struct{ path, key string }{
	{"/frequency", "wb.tab.frequency"},
	{"/collocations", "wb.tab.collocations"},
	{"/words", "wb.tab.words"},
	{"/parallel", "wb.tab.parallel"},
}

// newWBPage starts the data of workbench page path, whose own parameters
// (beyond the search's) are own.
func (s *server) newWBPage(c echo.Context, path, titleKey string, own []string) (wbPage, state, error) {
	v := c.QueryParams()
	p := s.newPage(c, "", "workbench")
	q := v.Get("q")
	p.Title = p.T(titleKey)
	if q != "" {
		p.Title = p.T(titleKey) + p.T("wb.title.of") + displayable(q)
	}
	st := newState(path, v, append(append([]string(nil), filterParams...), own...))
	titles := s.docTitles(c.Request().Context())
	d := wbPage{page: p, Cap: index.WorkbenchPassages, Chips: s.chips(p, st, titles)}
	if titles.err != nil {
		return wbPage{}, st, titles.err
	}
	for _, t := range wbTabs {
		d.Tabs = append(d.Tabs, wbTab{Label: p.T(t.key), Href: st.elsewhere(t.path, nil, "by", "table", "window", "span", "measure", "stop", "min", "en", "zh"), Current: t.path == path})
	}
	lang := st.v.Get("lang")
	d.Form = wbForm{
		Action: path, Q: displayable(q),
		Langs: []option{
			{Value: "all", Label: p.T("search.lang.all"), Selected: lang == "" || lang == "all"},
			{Value: "en", Label: p.langLabel(corpus.English), Selected: lang == "en"},
			{Value: "zh", Label: p.langLabel(corpus.Chinese), Selected: lang == "zh"},
		},
		Expand: st.has("expand", "1") || st.has("expand", "on"),
		Hidden: st.hidden(append([]string{"q", "lang", "expand"}, own...)...),
	}
	return d, st, nil
}

// Translation keys of the choices of the workbench's forms.
var (
	byKeys      = map[string]string{index.ByYear: "wb.by.year", index.ByCompany: "wb.by.company", index.BySpeaker: "wb.by.speaker", index.ByDoc: "wb.by.doc"}
	spanKeys    = map[string]string{"both": "wb.span.both", "left": "wb.span.left", "right": "wb.span.right", "aligned": "wb.span.aligned"}
	measureKeys = map[string]string{index.ByLogDice: "wb.measure.logdice", index.ByMI: "wb.measure.mi", index.ByFreq: "wb.measure.freq"}
)

// formRow is a form or word of a frequency table.
type formRow struct {
	Rank       int
	Lang       string // HTML lang
	LangLabel  string
	Form       string
	Count      int
	PerMillion string
	Href       string // its concordance
}

// freqRowView is a row of the breakdown by facet value.
type freqRowView struct {
	Label, LabelLang string
	Count            int
	Passages         int
	Words            int
	PerMillion       string
	Href             string // the search of the row's value
}

// barChart is a horizontal bar chart drawn on the server as SVG, so it
// shows without JavaScript; each bar has its figure as text beside it and
// as a title for screen readers.
type barChart struct {
	Width, Height int
	Label         string
	Bars          []hbar
}

// hbar is one bar.
type hbar struct {
	Y, W, TextY, ValueX int
	Label, Value        string
	Lang                string
}

// Sizes of the bar chart, in SVG user units.
const (
	chartLabelW = 170
	chartBarMax = 330
	chartRowH   = 22
	chartBars   = 30
)

// newBarChart draws values (a label and its value) as bars proportional to
// value; the first chartBars only.
func newBarChart(label string, labels, langs []string, values []float64, shown []string) *barChart {
	if len(values) == 0 {
		return nil
	}
	most := 0.0
	for _, v := range values {
		most = max(most, v)
	}
	n := min(len(values), chartBars)
	ch := &barChart{Width: chartLabelW + chartBarMax + 80, Height: n*chartRowH + 4, Label: label}
	for i := range n {
		w := 0
		if most > 0 {
			w = max(1, int(values[i]/most*chartBarMax))
		}
		y := i*chartRowH + 2
		ch.Bars = append(ch.Bars, hbar{
			Y: y + 3, W: w, TextY: y + 15, ValueX: chartLabelW + w + 6,
			Label: clip(labels[i], 24), Value: shown[i], Lang: langs[i],
		})
	}
	return ch
}

// freqData is the data of the frequency page.
type freqData struct {
	wbPage
	By        []option
	Q         string
	Res       *index.Frequencies
	Summary   string
	Capped    string
	Size      string
	Forms     []formRow
	Rows      []freqRowView
	ByLabel   string
	Chart     *barChart
	FormChart *barChart
	CSV       string
	CSVRows   string
	JSON      string
}

// frequencyPage shows how often a query's matches occur, by form and by
// the values of a facet.
func (s *server) frequencyPage(c echo.Context) error {
	wb, err := s.workbench()
	if err != nil {
		return err
	}
	d := freqData{}
	var st state
	d.wbPage, st, err = s.newWBPage(c, "/frequency", "wb.freq.title", freqParams)
	if err != nil {
		return err
	}
	p := d.page
	by := st.v.Get("by")
	d.By = []option{{Value: "", Label: p.T("wb.by.none"), Selected: by == ""}}
	for _, b := range []string{index.ByYear, index.ByCompany, index.BySpeaker, index.ByDoc} {
		d.By = append(d.By, option{Value: b, Label: p.T(byKeys[b]), Selected: by == b})
	}
	fq, err := parseFreq(c.QueryParams())
	if err != nil {
		return err
	}
	d.Q = fq.Query.Text
	if d.Q == "" {
		return c.Render(http.StatusOK, "frequency.html", d)
	}
	res, err := wb.Frequency(c.Request().Context(), fq)
	if err != nil {
		return err
	}
	d.Res = res
	d.Summary = p.T("wb.freq.summary", res.Count, res.Total, formatNum(res.PerMillion))
	if res.Read < res.Total {
		d.Capped = p.T("wb.capped", res.Read, res.Total)
	}
	d.Size = sizeNote(p, res.Size)
	var labels, langs, shown []string
	var values []float64
	for i, f := range res.Forms {
		d.Forms = append(d.Forms, formRow{
			Rank: i + 1, Lang: htmlLang(string(f.Lang)), LangLabel: p.langLabel(f.Lang), Form: f.Form, Count: f.Count,
			PerMillion: formatNum(f.PerMillion), Href: concordanceHref(p, st, f.Form, f.Lang, ""),
		})
		labels, langs = append(labels, f.Form), append(langs, htmlLang(string(f.Lang)))
		values, shown = append(values, float64(f.Count)), append(shown, strconv.Itoa(f.Count))
	}
	d.FormChart = newBarChart(p.T("wb.freq.chart.forms", d.Q), labels, langs, values, shown)
	if fq.By != "" {
		d.ByLabel = p.T(byKeys[fq.By])
		labels, langs, shown, values = nil, nil, nil, nil
		for _, r := range res.Rows {
			label, lang := r.Value, "en"
			if r.LabelZH != "" && p.UI == "zh" {
				label, lang = r.LabelZH, "zh-Hans"
			}
			key := fq.By
			d.Rows = append(d.Rows, freqRowView{
				Label: label, LabelLang: lang, Count: r.Count, Passages: r.Size.Passages, Words: r.Size.Words(fq.Query.Lang),
				PerMillion: formatNum(r.PerMillion), Href: st.elsewhere("/search", url.Values{key: {r.Value}}, "by", "table"),
			})
			labels, langs = append(labels, label), append(langs, lang)
			values, shown = append(values, r.PerMillion), append(shown, formatNum(r.PerMillion))
		}
		d.Chart = newBarChart(p.T("wb.freq.chart.rows", d.ByLabel), labels, langs, values, shown)
	}
	d.CSV = st.elsewhere("/api/frequency", url.Values{"format": {"csv"}}, "ui", "table")
	d.CSVRows = st.elsewhere("/api/frequency", url.Values{"format": {"csv"}, "table": {"rows"}}, "ui")
	d.JSON = st.elsewhere("/api/frequency", nil, "ui", "table")
	return c.Render(http.StatusOK, "frequency.html", d)
}

// sizeNote says how big the part of the corpus looked at is, and whether
// its word counts are exact or estimated.
func sizeNote(p page, z index.Size) string {
	if z.Exact {
		return p.T("wb.size.exact", z.Passages, z.WordsEN, z.WordsZH)
	}
	return p.T("wb.size.sampled", z.Passages, z.WordsEN, z.WordsZH, z.Sampled)
}

// collocRow is a collocate as the page shows it.
type collocRow struct {
	Rank             int
	Lang, LangLabel  string
	Form             string
	Freq, CorpusFreq int
	LogDice, MI      string
	Href             string
}

// collocData is the data of the collocations page.
type collocData struct {
	wbPage
	Windows  []option
	Spans    []option
	Measures []option
	Stop     bool
	Min      string
	Q        string
	Res      *index.Collocations
	Summary  string
	Capped   string
	Size     string
	Rows     []collocRow
	CSV      string
	JSON     string
}

// collocationsPage shows the words near a query's matches.
func (s *server) collocationsPage(c echo.Context) error {
	wb, err := s.workbench()
	if err != nil {
		return err
	}
	d := collocData{}
	var st state
	d.wbPage, st, err = s.newWBPage(c, "/collocations", "wb.colloc.title", collocParams)
	if err != nil {
		return err
	}
	p := d.page
	cq, err := parseColloc(c.QueryParams())
	if err != nil {
		return err
	}
	w := max(cq.Left, cq.Right)
	for i := 1; i <= index.MaxWindow; i++ {
		d.Windows = append(d.Windows, option{Value: strconv.Itoa(i), Label: strconv.Itoa(i), Selected: i == w})
	}
	span := "both"
	switch {
	case cq.Aligned:
		span = "aligned"
	case cq.Left == 0:
		span = "right"
	case cq.Right == 0:
		span = "left"
	}
	for _, sp := range []string{"both", "left", "right", "aligned"} {
		d.Spans = append(d.Spans, option{Value: sp, Label: p.T(spanKeys[sp]), Selected: sp == span})
	}
	for _, m := range []string{index.ByLogDice, index.ByMI, index.ByFreq} {
		d.Measures = append(d.Measures, option{Value: m, Label: p.T(measureKeys[m]), Selected: m == cq.Sort})
	}
	d.Stop = cq.Stop
	d.Min = st.v.Get("min")
	d.Q = cq.Query.Text
	if d.Q == "" {
		return c.Render(http.StatusOK, "collocations.html", d)
	}
	res, err := wb.Collocations(c.Request().Context(), cq)
	if err != nil {
		return err
	}
	d.Res = res
	d.Summary = p.T("wb.colloc.summary", res.NodesEN+res.NodesZH, res.Read, len(res.Collocates))
	if res.Read < res.Total {
		d.Capped = p.T("wb.capped", res.Read, res.Total)
	}
	d.Size = sizeNote(p, res.Size)
	for i, x := range res.Collocates {
		d.Rows = append(d.Rows, collocRow{
			Rank: i + 1, Lang: htmlLang(string(x.Lang)), LangLabel: p.langLabel(x.Lang), Form: x.Form,
			Freq: x.Freq, CorpusFreq: x.CorpusFreq, LogDice: formatNum(x.LogDice), MI: formatNum(x.MI),
			Href: concordanceHref(p, st, d.Q, x.Lang, x.Form),
		})
	}
	d.CSV = st.elsewhere("/api/collocations", url.Values{"format": {"csv"}}, "ui")
	d.JSON = st.elsewhere("/api/collocations", nil, "ui")
	return c.Render(http.StatusOK, "collocations.html", d)
}

// wordsData is the data of the word-list page.
type wordsData struct {
	wbPage
	Stop    bool
	Res     *index.WordList
	Summary string
	Size    string
	Columns []wordColumn // English, then Chinese
	CSV     string
	JSON    string
}

// wordColumn is one language's list of a word-list page.
type wordColumn struct {
	Heading string
	Rows    []formRow
}

// wordsPage lists the most frequent words of the corpus, or of the part a
// search leaves.
func (s *server) wordsPage(c echo.Context) error {
	wb, err := s.workbench()
	if err != nil {
		return err
	}
	d := wordsData{}
	var st state
	d.wbPage, st, err = s.newWBPage(c, "/words", "wb.words.title", wordsParams)
	if err != nil {
		return err
	}
	p := d.page
	wq, err := parseWords(c.QueryParams())
	if err != nil {
		return err
	}
	d.Stop = wq.Stop
	res, err := wb.Words(c.Request().Context(), wq)
	if err != nil {
		return err
	}
	d.Res = res
	if res.Sampled && !res.Size.Exact {
		d.Summary = p.T("wb.words.sampled", res.Read, res.Total)
	} else {
		d.Summary = p.T("wb.words.read", res.Read, res.Total)
	}
	d.Size = sizeNote(p, res.Size)
	rows := func(fs []index.FormCount) []formRow {
		var out []formRow
		for i, f := range fs {
			out = append(out, formRow{
				Rank: i + 1, Lang: htmlLang(string(f.Lang)), Form: f.Form, Count: f.Count,
				PerMillion: formatNum(f.PerMillion), Href: concordanceHref(p, st, "", f.Lang, f.Form),
			})
		}
		return out
	}
	d.Columns = []wordColumn{{p.T("lang.en"), rows(res.EN)}, {p.T("lang.zh"), rows(res.ZH)}}
	d.CSV = st.elsewhere("/api/words", url.Values{"format": {"csv"}}, "ui")
	d.JSON = st.elsewhere("/api/words", nil, "ui")
	return c.Render(http.StatusOK, "words.html", d)
}

// parallelData is the data of the parallel-query page.
type parallelData struct {
	wbPage
	EN, ZH      string
	Composed    string
	Total       int
	Hits        []hitView
	Equivalents []apiEquivalent
	Search      string
	KWIC        string
	CSV         string
}

// parallelSize is how many hits the parallel page shows; the search page
// has them all.
const parallelSize = 50

// parallelPage finds aligned passages by conditions on each side: the
// English says X and the Chinese says (or lacks) Y.
func (s *server) parallelPage(c echo.Context) error {
	d := parallelData{}
	var st state
	var err error
	d.wbPage, st, err = s.newWBPage(c, "/parallel", "wb.parallel.title", []string{"en", "zh"})
	if err != nil {
		return err
	}
	p := d.page
	v := c.QueryParams()
	if d.EN, err = textParam(v, "en", index.MaxQueryBytes); err != nil {
		return err
	}
	if d.ZH, err = textParam(v, "zh", index.MaxQueryBytes); err != nil {
		return err
	}
	q, err := parseWorkbenchQuery(v)
	if err != nil {
		return err
	}
	d.Composed = parallelText(q.Text, d.EN, d.ZH)
	if len(d.Composed) > index.MaxQueryBytes {
		return badQuery("the query is %d bytes long; the limit is %d", len(d.Composed), index.MaxQueryBytes)
	}
	if d.Composed == "" {
		return c.Render(http.StatusOK, "parallel.html", d)
	}
	q.Text, q.Size = d.Composed, parallelSize
	ctx := c.Request().Context()
	res, titles, err := s.searchTitled(ctx, q)
	if err != nil {
		return err
	}
	d.Total = res.Total
	search := newState("/search", url.Values{"q": {d.Composed}, "expand": st.v["expand"]}, filterParams)
	for _, h := range res.Hits {
		d.Hits = append(d.Hits, s.hitView(p, search, h, titles))
	}
	if titles.err != nil {
		return titles.err
	}
	if _, ok := s.searcher.(Workbench); ok {
		eq := q
		if eq.Text = plainWords(d.EN, d.ZH); eq.Text != "" {
			if d.Equivalents, err = s.equivalentsOf(c, p, eq); err != nil {
				return err
			}
		}
	}
	carry := url.Values{"q": {d.Composed}}
	for _, k := range filterParams[2:] {
		if vs, ok := st.v[k]; ok {
			carry[k] = vs
		}
	}
	d.Search = p.link("/search", carry, "")
	d.KWIC = p.link("/concordance", carry, "")
	carry.Set("format", "csv")
	d.CSV = (&url.URL{Path: "/api/concordance", RawQuery: carry.Encode()}).String()
	return c.Render(http.StatusOK, "parallel.html", d)
}

// operandRE matches an operand of a query: a phrase in quotes or a word,
// with its sign.
var operandRE = regexp.MustCompile(`-?["“「][^"”」]*["”」]?|\S+`)

// plainWords is the positive words of the two boxes, for their
// equivalents: the English box's, else the Chinese box's.
func plainWords(en, zh string) string {
	for _, t := range []string{en, zh} {
		var keep []string
		for _, op := range operandRE.FindAllString(t, -1) {
			if op[0] != '-' && op != "OR" {
				keep = append(keep, op)
			}
		}
		if len(keep) > 0 {
			return strings.Join(keep, " ")
		}
	}
	return ""
}

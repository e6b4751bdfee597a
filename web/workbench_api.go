package web

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/labstack/echo/v4"

	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
)

// The workbench's JSON answers; described in api/openapi.json.

// apiSize is the size of the part of the corpus an answer looked at.
type apiSize struct {
	Passages int  `json:"passages"`
	WordsEN  int  `json:"words_en"`
	WordsZH  int  `json:"words_zh"`
	Sampled  int  `json:"sampled"`
	Exact    bool `json:"exact"`
}

func toAPISize(z index.Size) apiSize {
	return apiSize{Passages: z.Passages, WordsEN: z.WordsEN, WordsZH: z.WordsZH, Sampled: z.Sampled, Exact: z.Exact}
}

// apiForm is a form or word with its count.
type apiForm struct {
	Lang       string  `json:"lang"`
	Form       string  `json:"form"`
	Count      int     `json:"count"`
	PerMillion float64 `json:"per_million"`
}

// apiFreqRow is the count among the passages with one facet value.
type apiFreqRow struct {
	Value      string  `json:"value"`
	LabelZH    string  `json:"label_zh"`
	Count      int     `json:"count"`
	Passages   int     `json:"passages"`
	Words      int     `json:"words"`
	PerMillion float64 `json:"per_million"`
}

// apiFrequency is the answer of GET /api/frequency.
type apiFrequency struct {
	Q          string       `json:"q"`
	Lang       string       `json:"lang"`
	By         string       `json:"by"`
	Total      int          `json:"total"`
	Read       int          `json:"read"`
	Cap        int          `json:"cap"`
	Count      int          `json:"count"`
	PerMillion float64      `json:"per_million"`
	Size       apiSize      `json:"size"`
	Forms      []apiForm    `json:"forms"`
	Rows       []apiFreqRow `json:"rows"`
}

// apiCollocate is a word near the matches.
type apiCollocate struct {
	Lang        string  `json:"lang"`
	Form        string  `json:"form"`
	Freq        int     `json:"freq"`
	CorpusFreq  int     `json:"corpus_freq"`
	LogDice     float64 `json:"log_dice"`
	MI          float64 `json:"mi"`
	Concordance string  `json:"concordance"`
}

// apiCollocations is the answer of GET /api/collocations.
type apiCollocations struct {
	Q          string         `json:"q"`
	Lang       string         `json:"lang"`
	Left       int            `json:"left"`
	Right      int            `json:"right"`
	Measure    string         `json:"measure"`
	Total      int            `json:"total"`
	Read       int            `json:"read"`
	Cap        int            `json:"cap"`
	NodesEN    int            `json:"nodes_en"`
	NodesZH    int            `json:"nodes_zh"`
	Size       apiSize        `json:"size"`
	Collocates []apiCollocate `json:"collocates"`
}

// apiWordList is the answer of GET /api/words.
type apiWordList struct {
	Q       string    `json:"q"`
	Total   int       `json:"total"`
	Read    int       `json:"read"`
	Cap     int       `json:"cap"`
	Sampled bool      `json:"sampled"`
	Size    apiSize   `json:"size"`
	EN      []apiForm `json:"en"`
	ZH      []apiForm `json:"zh"`
}

// apiEquivalent is a translation of a query's word on the other side.
type apiEquivalent struct {
	Of    string `json:"of"`
	Lang  string `json:"lang"`
	Text  string `json:"text"`
	Exact bool   `json:"exact"`
	// Aligned counts the passages where the word matches on one side and
	// the equivalent is on the other.
	Aligned int    `json:"aligned"`
	Search  string `json:"search"`
}

// apiEquivalents is the answer of GET /api/equivalents.
type apiEquivalents struct {
	Q           string          `json:"q"`
	Equivalents []apiEquivalent `json:"equivalents"`
	Source      string          `json:"source"`
}

// apiKWICLine is a concordance line of GET /api/concordance.
type apiKWICLine struct {
	ID       string `json:"id"`
	Doc      string `json:"doc"`
	Position int    `json:"position"`
	Lang     string `json:"lang"`
	Left     string `json:"left"`
	Match    string `json:"match"`
	Right    string `json:"right"`
	Aligned  string `json:"aligned"`
}

// apiConcordance is the answer of GET /api/concordance.
type apiConcordance struct {
	Q     string        `json:"q"`
	Total int           `json:"total"`
	Read  int           `json:"read"`
	Cap   int           `json:"cap"`
	Lines []apiKWICLine `json:"lines"`
}

// cedictSource credits the dictionary of equivalents.
const cedictSource = "CC-CEDICT (https://cc-cedict.org/), CC BY-SA 4.0"

func toAPIForms(fs []index.FormCount) []apiForm {
	out := make([]apiForm, 0, len(fs))
	for _, f := range fs {
		out = append(out, apiForm{Lang: string(f.Lang), Form: f.Form, Count: f.Count, PerMillion: round3(f.PerMillion)})
	}
	return out
}

func round3(f float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'f', 3, 64), 64)
	return v
}

func langParam(l corpus.Lang) string {
	if l == "" {
		return "all"
	}
	return string(l)
}

func toAPIFrequency(f *index.Frequencies) apiFrequency {
	out := apiFrequency{
		Q: f.Query.Text, Lang: langParam(f.Query.Lang), By: f.By, Total: f.Total, Read: f.Read, Cap: index.WorkbenchPassages,
		Count: f.Count, PerMillion: round3(f.PerMillion), Size: toAPISize(f.Size), Forms: toAPIForms(f.Forms), Rows: []apiFreqRow{},
	}
	for _, r := range f.Rows {
		out.Rows = append(out.Rows, apiFreqRow{Value: r.Value, LabelZH: r.LabelZH, Count: r.Count, Passages: r.Size.Passages, Words: r.Size.Words(f.Query.Lang), PerMillion: round3(r.PerMillion)})
	}
	return out
}

func (s *server) toAPICollocations(p page, st state, c *index.Collocations) apiCollocations {
	out := apiCollocations{
		Q: c.Query.Text, Lang: langParam(c.Query.Lang), Left: c.Left, Right: c.Right, Measure: c.Sort,
		Total: c.Total, Read: c.Read, Cap: index.WorkbenchPassages, NodesEN: c.NodesEN, NodesZH: c.NodesZH,
		Size: toAPISize(c.Size), Collocates: []apiCollocate{},
	}
	for _, x := range c.Collocates {
		out.Collocates = append(out.Collocates, apiCollocate{
			Lang: string(x.Lang), Form: x.Form, Freq: x.Freq, CorpusFreq: x.CorpusFreq,
			LogDice: round3(x.LogDice), MI: round3(x.MI), Concordance: concordanceHref(p, st, c.Query.Text, x.Lang, x.Form),
		})
	}
	return out
}

func toAPIWordList(w *index.WordList) apiWordList {
	return apiWordList{
		Q: w.Query.Text, Total: w.Total, Read: w.Read, Cap: index.WorkbenchPassages, Sampled: w.Sampled,
		Size: toAPISize(w.Size), EN: toAPIForms(w.EN), ZH: toAPIForms(w.ZH),
	}
}

// knownWorkbenchParams refuses parameters the request does not take.
func knownWorkbenchParams(v url.Values, extra ...[]string) error {
	allowed := slices.Concat(append([][]string{filterParams, exportParams, {"pretty"}}, extra...)...)
	return knownParams(v, allowed)
}

// format reads the format parameter: json (the default) or one of more.
func format(v url.Values, more ...string) (string, error) {
	return choice(v, "format", "json", append([]string{"json"}, more...)...)
}

// workbenchRequest returns the workbench and the parameters of a request
// to one of its lists, after checking that it takes them (the filters,
// the export parameters and extra), and the format asked for: json (the
// default) or csv.
func (s *server) workbenchRequest(c echo.Context, extra []string) (Workbench, url.Values, string, error) {
	wb, err := s.workbench()
	if err != nil {
		return nil, nil, "", err
	}
	v := c.QueryParams()
	if err := knownWorkbenchParams(v, extra); err != nil {
		return nil, nil, "", err
	}
	f, err := format(v, "csv")
	if err != nil {
		return nil, nil, "", err
	}
	return wb, v, f, nil
}

// apiFrequency answers GET /api/frequency: JSON, or CSV with format=csv
// (the forms, or with table=rows the counts by facet value).
func (s *server) apiFrequency(c echo.Context) error {
	wb, v, f, err := s.workbenchRequest(c, freqParams)
	if err != nil {
		return err
	}
	table, err := choice(v, "table", "forms", "forms", "rows")
	if err != nil {
		return err
	}
	fq, err := parseFreq(v)
	if err != nil {
		return err
	}
	res, err := wb.Frequency(c.Request().Context(), fq)
	if err != nil {
		return err
	}
	a := toAPIFrequency(res)
	if f == "json" {
		return c.JSON(http.StatusOK, a)
	}
	if table == "rows" {
		rows := [][]string{{fq.By, "label_zh", "count", "passages", "words", "per_million"}}
		for _, r := range a.Rows {
			rows = append(rows, []string{r.Value, r.LabelZH, strconv.Itoa(r.Count), strconv.Itoa(r.Passages), strconv.Itoa(r.Words), formatNum(r.PerMillion)})
		}
		return s.writeCSV(c, "frequency-by-"+fq.By, fq.Query.Text, rows, a.Total, a.Read)
	}
	rows := [][]string{{"lang", "form", "count", "per_million"}}
	for _, r := range a.Forms {
		rows = append(rows, []string{r.Lang, r.Form, strconv.Itoa(r.Count), formatNum(r.PerMillion)})
	}
	return s.writeCSV(c, "frequency", fq.Query.Text, rows, a.Total, a.Read)
}

// apiCollocations answers GET /api/collocations: JSON, or CSV with
// format=csv.
func (s *server) apiCollocations(c echo.Context) error {
	wb, v, f, err := s.workbenchRequest(c, collocParams)
	if err != nil {
		return err
	}
	cq, err := parseColloc(v)
	if err != nil {
		return err
	}
	res, err := wb.Collocations(c.Request().Context(), cq)
	if err != nil {
		return err
	}
	p := s.newPage(c, "", "")
	a := s.toAPICollocations(p, newState("/collocations", v, filterParams), res)
	if f == "json" {
		return c.JSON(http.StatusOK, a)
	}
	rows := [][]string{{"lang", "collocate", "freq", "corpus_freq", "log_dice", "mi"}}
	for _, x := range a.Collocates {
		rows = append(rows, []string{x.Lang, x.Form, strconv.Itoa(x.Freq), strconv.Itoa(x.CorpusFreq), formatNum(x.LogDice), formatNum(x.MI)})
	}
	return s.writeCSV(c, "collocations", cq.Query.Text, rows, a.Total, a.Read)
}

// apiWords answers GET /api/words: JSON, or CSV with format=csv.
func (s *server) apiWords(c echo.Context) error {
	wb, v, f, err := s.workbenchRequest(c, wordsParams)
	if err != nil {
		return err
	}
	wq, err := parseWords(v)
	if err != nil {
		return err
	}
	res, err := wb.Words(c.Request().Context(), wq)
	if err != nil {
		return err
	}
	a := toAPIWordList(res)
	if f == "json" {
		return c.JSON(http.StatusOK, a)
	}
	rows := [][]string{{"lang", "rank", "word", "count", "per_million"}}
	for _, list := range [][]apiForm{a.EN, a.ZH} {
		for i, w := range list {
			rows = append(rows, []string{w.Lang, strconv.Itoa(i + 1), w.Form, strconv.Itoa(w.Count), formatNum(w.PerMillion)})
		}
	}
	return s.writeCSV(c, "words", wq.Query.Text, rows, a.Total, a.Read)
}

// equivalentsOf returns the equivalents of q's words, each with the number
// of aligned passages where the word matches on its side and the
// equivalent on the other.
func (s *server) equivalentsOf(c echo.Context, p page, q index.Query) ([]apiEquivalent, error) {
	wb, err := s.workbench()
	if err != nil {
		return nil, err
	}
	eqs, err := wb.Equivalents(q.Text)
	if err != nil {
		return nil, err
	}
	out := []apiEquivalent{}
	for _, e := range eqs {
		from := corpus.English
		if e.Lang == corpus.English {
			from = corpus.Chinese
		}
		pair := q
		pair.Text = string(from) + ":" + phraseOf(e.Of) + " " + string(e.Lang) + ":" + phraseOf(e.Text)
		pair.Lang, pair.Expand, pair.Size = "", false, 1
		res, err := s.searcher.Search(c.Request().Context(), pair)
		if err != nil {
			return nil, err
		}
		v := url.Values{"q": {pair.Text}}
		out = append(out, apiEquivalent{Of: e.Of, Lang: string(e.Lang), Text: e.Text, Exact: e.Exact, Aligned: res.Total, Search: p.link("/search", v, "")})
	}
	return out, nil
}

// phraseOf quotes text of several words.
func phraseOf(s string) string {
	if strings.ContainsFunc(s, unicode.IsSpace) {
		return `"` + s + `"`
	}
	return s
}

// apiEquivalents answers GET /api/equivalents: the dictionary's
// translations of the query's words, with how often each is found across
// the aligned corpus.
func (s *server) apiEquivalents(c echo.Context) error {
	v := c.QueryParams()
	if err := knownParams(v, append(slices.Clone(filterParams), "pretty")); err != nil {
		return err
	}
	q, err := parseWorkbenchQuery(v)
	if err != nil {
		return err
	}
	if q.Text == "" {
		return badQuery("q is empty: give the words to translate")
	}
	eqs, err := s.equivalentsOf(c, s.newPage(c, "", ""), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, apiEquivalents{Q: q.Text, Equivalents: eqs, Source: cedictSource})
}

// kwicContextExport is how much context each side of a match an export
// line carries, in runes.
const kwicContextExport = 60

// apiConcordance answers GET /api/concordance: the concordance lines of a
// query with their context and the aligned passage's other side, as JSON,
// CSV or JSON lines.
func (s *server) apiConcordance(c echo.Context) error {
	v := c.QueryParams()
	if err := knownWorkbenchParams(v); err != nil {
		return err
	}
	f, err := format(v, "csv", "jsonl")
	if err != nil {
		return err
	}
	q, err := parseWorkbenchQuery(v)
	if err != nil {
		return err
	}
	if q.Text == "" {
		return badQuery("q is empty: a concordance needs words")
	}
	q.Sort = index.SortPosition
	out := apiConcordance{Q: q.Text, Cap: maxKWICHits, Lines: []apiKWICLine{}}
	err = s.searcher.Scan(c.Request().Context(), q, maxKWICHits, func(total int, h index.Hit) error {
		out.Total = total
		out.Read++
		out.Lines = append(out.Lines, exportLines(h, q.Lang)...)
		if len(out.Lines) >= maxKWICLines {
			out.Lines = out.Lines[:maxKWICLines]
			return errEnough
		}
		return nil
	})
	if err != nil && !errors.Is(err, errEnough) {
		return err
	}
	switch f {
	case "csv":
		rows := [][]string{{"id", "doc", "position", "lang", "left", "match", "right", "aligned"}}
		for _, l := range out.Lines {
			rows = append(rows, []string{l.ID, l.Doc, strconv.Itoa(l.Position), l.Lang, l.Left, l.Match, l.Right, l.Aligned})
		}
		return s.writeCSV(c, "concordance", q.Text, rows, out.Total, out.Read)
	case "jsonl":
		res := c.Response()
		setDownload(res.Header(), "concordance", q.Text, "jsonl", out.Total, out.Read)
		res.Header().Set(echo.HeaderContentType, "application/x-ndjson; charset=utf-8")
		res.WriteHeader(http.StatusOK)
		enc := json.NewEncoder(res)
		enc.SetEscapeHTML(false)
		for _, l := range out.Lines {
			if err := enc.Encode(l); err != nil {
				return nil // the client went away; the status is out
			}
		}
		return nil
	}
	return c.JSON(http.StatusOK, out)
}

// maxAlignedRunes bounds the aligned side an export line carries, so that
// a concordance's size has a bound (x-max-bytes in api/openapi.json).
const maxAlignedRunes = 2000

// firstRunesOnly is the first n runes of s, with "…" when it cut.
func firstRunesOnly(s string, n int) string {
	if out, cut := firstRunes(s, n); cut {
		return out + "…"
	}
	return s
}

// exportLines returns a line for each match of h on side lang (or both),
// with the passage's other side.
func exportLines(h index.Hit, lang corpus.Lang) []apiKWICLine {
	ps := h.Passage
	var out []apiKWICLine
	eachLineMatch(h, lang, func(l, other corpus.Lang, text string, sp index.Span) {
		left, _ := lastRunes(text[:sp.Start], kwicContextExport)
		right, _ := firstRunes(text[sp.End:], kwicContextExport)
		out = append(out, apiKWICLine{
			ID: ps.ID, Doc: ps.Doc, Position: ps.Position, Lang: string(l),
			Left: oneLine(left), Match: oneLine(text[sp.Start:sp.End]), Right: oneLine(right),
			Aligned: oneLine(firstRunesOnly(ps.Text.Get(other), maxAlignedRunes)),
		})
	})
	return out
}

// writeCSV sends rows as a CSV download named for what and the query,
// with a UTF-8 byte-order mark (so spreadsheets read Chinese right) unless
// bom=0. X-Total-Count and X-Read-Count say how many passages matched and
// were read.
func (s *server) writeCSV(c echo.Context, what, q string, rows [][]string, total, read int) error {
	bom, err := single(c.QueryParams(), "bom")
	if err != nil {
		return err
	}
	if bom != "" && bom != "0" && bom != "1" {
		return badQuery("bom must be 1 or 0, got %s", quote(bom))
	}
	res := c.Response()
	setDownload(res.Header(), what, q, "csv", total, read)
	res.Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	res.WriteHeader(http.StatusOK)
	if bom != "0" {
		if _, err := res.Write([]byte("\uFEFF")); err != nil {
			return nil // the client went away; the status is out
		}
	}
	w := csv.NewWriter(res)
	for _, r := range rows {
		for i := range r {
			r[i] = csvCell(r[i])
		}
		if err := w.Write(r); err != nil {
			return nil
		}
	}
	w.Flush()
	return nil
}

// setDownload names a download for what it holds: the kind, the query
// and the date, as corpus-frequency-technology-2026-12-01.csv. The ASCII
// name replaces other characters with '-'; filename* carries the query as
// written.
func setDownload(h http.Header, what, q, ext string, total, read int) {
	date := time.Now().UTC().Format("2006-01-02")
	slug := func(ascii bool) string {
		var b strings.Builder
		dash := false
		for _, r := range strings.ToLower(q) {
			ok := unicode.IsLetter(r) || unicode.IsDigit(r)
			if ascii && r > unicode.MaxASCII {
				ok = false
			}
			if !ok {
				dash = b.Len() > 0
				continue
			}
			if dash {
				b.WriteByte('-')
				dash = false
			}
			b.WriteRune(r)
			if b.Len() > 60 {
				break
			}
		}
		return b.String()
	}
	name := func(s string) string {
		parts := []string{"corpus", what}
		if s != "" {
			parts = append(parts, s)
		}
		return strings.Join(append(parts, date), "-") + "." + ext
	}
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, name(slug(true)), url.PathEscape(name(slug(false)))))
	h.Set("X-Total-Count", strconv.Itoa(total))
	h.Set("X-Read-Count", strconv.Itoa(read))
}

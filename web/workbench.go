package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
)

// The workbench: frequency lists, collocations, word lists and parallel
// queries, as pages (workbench_pages.go), JSON and CSV
// (workbench_api.go). Each reads at most index.WorkbenchPassages matching
// passages and says so in its answer.

// Workbench is what the workbench needs from the index, beyond a
// Searcher; index.Live has it. A Searcher without it serves no workbench
// (its pages answer 404).
type Workbench interface {
	Frequency(ctx context.Context, fq index.FreqQuery) (*index.Frequencies, error)
	Collocations(ctx context.Context, cq index.CollocQuery) (*index.Collocations, error)
	Words(ctx context.Context, wq index.WordListQuery) (*index.WordList, error)
	Equivalents(text string) ([]index.Equivalent, error)
}

// workbench returns the searcher's workbench, or a 404.
func (s *server) workbench() (Workbench, error) {
	wb, ok := s.searcher.(Workbench)
	if !ok {
		return nil, echo.NewHTTPError(http.StatusNotFound, "the workbench is not available on this server")
	}
	return wb, nil
}

// filterParams are the parameters of a search that the workbench keeps:
// the words, the side and the filters, not the paging or the order.
var filterParams = []string{"q", "lang", "company", "company_op", "speaker", "speaker_op", "year", "year_from", "year_to", "section", "doc", "expand"}

// Parameters of each workbench request, beyond filterParams.
var (
	freqParams   = []string{"by", "table"}
	collocParams = []string{"window", "span", "measure", "stop", "min"}
	wordsParams  = []string{"stop"}
	exportParams = []string{"format", "bom"}
)

// parseWorkbenchQuery reads the search of a workbench request.
func parseWorkbenchQuery(v url.Values) (index.Query, error) {
	qv := url.Values{}
	for _, k := range filterParams {
		if vs, ok := v[k]; ok {
			qv[k] = vs
		}
	}
	return parseQuery(qv)
}

// flagParam reads a checkbox: absent, "", "0" or "false" is off; "1",
// "on" or "true" is on.
func flagParam(v url.Values, key string) (bool, error) {
	s, err := single(v, key)
	if err != nil {
		return false, err
	}
	switch s {
	case "", "0", "false":
		return false, nil
	case "1", "on", "true":
		return true, nil
	}
	return false, badQuery("%s must be 1 or 0, got %s", key, quote(s))
}

// choice reads a parameter that takes one of values; "" gives def.
func choice(v url.Values, key, def string, values ...string) (string, error) {
	s, err := single(v, key)
	if err != nil || s == "" {
		return def, err
	}
	if !slices.Contains(values, s) {
		return "", badQuery("%s must be one of %s, got %s", key, strings.Join(values, ", "), quote(s))
	}
	return s, nil
}

// parseFreq reads a frequency request.
func parseFreq(v url.Values) (index.FreqQuery, error) {
	q, err := parseWorkbenchQuery(v)
	if err != nil {
		return index.FreqQuery{}, err
	}
	by, err := choice(v, "by", "", index.ByYear, index.ByCompany, index.BySpeaker, index.ByDoc)
	if err != nil {
		return index.FreqQuery{}, err
	}
	return index.FreqQuery{Query: q, By: by}, nil
}

// parseColloc reads a collocation request: window is 1 to 5 words (3 by
// default), span says on which sides of the match (both by default), or
// "aligned" for the words of the other side of the matching passages.
func parseColloc(v url.Values) (index.CollocQuery, error) {
	q, err := parseWorkbenchQuery(v)
	if err != nil {
		return index.CollocQuery{}, err
	}
	cq := index.CollocQuery{Query: q}
	w, err := intParam(v, "window", index.MaxWindow)
	if err != nil {
		return cq, err
	}
	if w == 0 {
		w = 3
	}
	span, err := choice(v, "span", "both", "both", "left", "right", "aligned")
	if err != nil {
		return cq, err
	}
	switch span {
	case "aligned":
		// The other side of the matching passages, not a window.
		cq.Aligned = true
	case "left":
		cq.Left = w
	case "right":
		cq.Right = w
	default:
		cq.Left, cq.Right = w, w
	}
	if cq.Sort, err = choice(v, "measure", index.ByLogDice, index.ByLogDice, index.ByMI, index.ByFreq); err != nil {
		return cq, err
	}
	if cq.Stop, err = flagParam(v, "stop"); err != nil {
		return cq, err
	}
	if cq.MinFreq, err = intParam(v, "min", 1000); err != nil {
		return cq, err
	}
	return cq, nil
}

// parseWords reads a word-list request.
func parseWords(v url.Values) (index.WordListQuery, error) {
	q, err := parseWorkbenchQuery(v)
	if err != nil {
		return index.WordListQuery{}, err
	}
	stop, err := flagParam(v, "stop")
	return index.WordListQuery{Query: q, Stop: stop}, err
}

// parallelText composes the query of the parallel form: the words either
// side may match, and what the English and the Chinese side must (or,
// with -, must not) say, as index.Query's en:(…) and zh:(…) groups.
func parallelText(q, en, zh string) string {
	parts := []string{}
	if q = strings.TrimSpace(q); q != "" {
		parts = append(parts, q)
	}
	for _, s := range []struct{ side, text string }{{"en", en}, {"zh", zh}} {
		if t := strings.TrimSpace(s.text); t != "" {
			parts = append(parts, s.side+":("+strings.NewReplacer("(", " ", ")", " ").Replace(t)+")")
		}
	}
	return strings.Join(parts, " ")
}

// concordanceHref links to the concordance of the query q together with
// the word form, on side l.
func concordanceHref(p page, st state, q string, l corpus.Lang, form string) string {
	w := form
	if strings.ContainsAny(w, " \t") {
		w = `"` + w + `"`
	}
	pair := strings.TrimSpace(q) + " " + w
	if l == corpus.English || l == corpus.Chinese {
		pair = strings.TrimSpace(q) + " " + string(l) + ":" + w
	}
	v := url.Values{}
	for _, k := range filterParams {
		if vs, ok := st.v[k]; ok && k != "q" {
			v[k] = vs
		}
	}
	v.Set("q", pair)
	return p.link("/concordance", v, "")
}

// formatNum writes a rate with three significant decimals at most.
func formatNum(f float64) string {
	switch {
	case f >= 100:
		return strconv.FormatFloat(f, 'f', 0, 64)
	case f >= 10:
		return strconv.FormatFloat(f, 'f', 1, 64)
	}
	return strconv.FormatFloat(f, 'f', 2, 64)
}

// The parameters of a search: reading them from a URL, checking them, and
// saying what is wrong with them.

package web

import (
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
)

// Limits on filter values: the index's (index.MaxFilterBytes,
// index.MaxFilterValues), checked here to name the parameter.
const (
	maxValueBytes   = index.MaxFilterBytes
	maxFilterValues = index.MaxFilterValues
)

// searchParams are the URL parameters parseQuery reads.
var searchParams = []string{"q", "lang", "company", "company_op", "speaker", "speaker_op", "year", "year_from", "year_to", "section", "doc", "page", "size", "sort", "expand"}

// apiSearchParams are the parameters /api/search accepts; it refuses others
// so a misspelt filter is an error rather than silently ignored. The pages
// ignore unknown parameters, as links from elsewhere may carry some.
var apiSearchParams = append(slices.Clone(searchParams), "format", "pretty")

// parseQuery reads a search from URL parameters. Every error wraps
// index.ErrBadQuery and says which parameter is wrong and why. An empty
// value counts as absent, as a form sends empty fields.
func parseQuery(v url.Values) (index.Query, error) {
	var q index.Query
	var err error
	// A pasted sentence may hold line breaks and tabs: they separate
	// words, as spaces do.
	v = withSpaces(v, "q")
	if q.Text, err = textParam(v, "q", index.MaxQueryBytes); err != nil {
		return index.Query{}, err
	}
	if n := utf8.RuneCountInString(q.Text); n > index.MaxQueryRunes {
		return index.Query{}, badValue("q", "too_long", []any{index.MaxQueryRunes}, "q is too long: %d characters, at most %d", n, index.MaxQueryRunes)
	}
	q.Text = strings.TrimSpace(q.Text)

	lang, err := single(v, "lang")
	if err != nil {
		return index.Query{}, err
	}
	switch lang {
	case "", "all":
	case string(corpus.English), string(corpus.Chinese):
		q.Lang = corpus.Lang(lang)
	default:
		return index.Query{}, badValue("lang", "choice", []any{"en, zh, all"}, "lang must be en, zh or all, got %s", quote(lang))
	}

	if q.Companies, err = names(v, "company"); err != nil {
		return index.Query{}, err
	}
	if q.Speakers, err = names(v, "speaker"); err != nil {
		return index.Query{}, err
	}
	if q.CompaniesAll, err = opParam(v, "company_op"); err != nil {
		return index.Query{}, err
	}
	if q.SpeakersAll, err = opParam(v, "speaker_op"); err != nil {
		return index.Query{}, err
	}
	// expand=1: also the translation equivalents (workbench.go).
	if q.Expand, err = flagParam(v, "expand"); err != nil {
		return index.Query{}, err
	}
	if err := parseYears(v, &q); err != nil {
		return index.Query{}, err
	}
	if q.Sections, err = sectionsParam(v); err != nil {
		return index.Query{}, err
	}
	if q.Doc, err = textParam(v, "doc", maxValueBytes); err != nil {
		return index.Query{}, err
	}

	if q.Page, err = intParam(v, "page", index.MaxPage); err != nil {
		return index.Query{}, err
	}
	if q.Size, err = intParam(v, "size", index.MaxSize); err != nil {
		return index.Query{}, err
	}
	s, err := single(v, "sort")
	if err != nil {
		return index.Query{}, err
	}
	switch index.Sort(s) {
	case "", index.SortRelevance, index.SortPosition, index.SortYear, index.SortYearDesc:
		q.Sort = index.Sort(s)
	default:
		return index.Query{}, badValue("sort", "choice", []any{"relevance, position, year, -year"}, "sort must be relevance, position, year or -year, got %s", quote(s))
	}
	return q, nil
}

// parseYears sets q's years (year, repeatable) and year range (year_from,
// year_to).
func parseYears(v url.Values, q *index.Query) error {
	years, err := values(v, "year")
	if err != nil {
		return err
	}
	for _, s := range years {
		y, err := parseYear("year", s)
		if err != nil {
			return err
		}
		if !slices.Contains(q.Years, y) {
			q.Years = append(q.Years, y)
		}
	}
	if q.YearFrom, err = yearParam(v, "year_from"); err != nil {
		return err
	}
	if q.YearTo, err = yearParam(v, "year_to"); err != nil {
		return err
	}
	if q.YearFrom != 0 && q.YearTo != 0 && q.YearFrom > q.YearTo {
		return badValue("year_from", "year_order", []any{q.YearFrom, q.YearTo}, "year_from %d is after year_to %d", q.YearFrom, q.YearTo)
	}
	return nil
}

// sectionsParam reads the sections asked for (section, repeatable).
func sectionsParam(v url.Values) ([]corpus.Section, error) {
	sections, err := values(v, "section")
	if err != nil {
		return nil, err
	}
	var out []corpus.Section
	for _, s := range sections {
		sec := corpus.Section(s)
		if !sec.Valid() {
			return nil, badValue("section", "choice", []any{joinSections()}, "section must be one of %s, got %s", joinSections(), quote(s))
		}
		if !slices.Contains(out, sec) {
			out = append(out, sec)
		}
	}
	return out, nil
}

// badQuery returns an error wrapping index.ErrBadQuery with a message.
func badQuery(format string, args ...any) error {
	return fmt.Errorf("%w: %s", index.ErrBadQuery, fmt.Sprintf(format, args...))
}

// paramError is a bad parameter. Its Error is the English message the API
// gives, naming the parameter; a page says it in the interface's language
// and in a person's words, from the catalog's "error.param."+kind with the
// parameter's name ("error.name."+param) and args.
type paramError struct {
	param, kind string
	args        []any
	err         error
}

func (e *paramError) Error() string { return e.err.Error() }
func (e *paramError) Unwrap() error { return e.err }

// badValue returns a paramError of kind for param, with args for the page's
// message and format and fargs for the API's.
func badValue(param, kind string, args []any, format string, fargs ...any) error {
	return &paramError{param: param, kind: kind, args: args, err: badQuery(format, fargs...)}
}

// message says e in the page's language.
func (e *paramError) message(p page) string {
	name := quote(e.param) // a parameter the site does not know has no name
	if _, ok := p.cat.msgs[p.UI]["error.name."+e.param]; ok {
		name = p.T("error.name." + e.param)
	}
	return p.T("error.param."+e.kind, append([]any{name}, e.args...)...)
}

// fitRunes is how many runes of s fit in limit bytes: what "at most N
// characters" means in the script the user writes.
func fitRunes(s string, limit int) int {
	n := 0
	for i, r := range s {
		if i+max(utf8.RuneLen(r), 1) > limit {
			break
		}
		n++
	}
	return n
}

// single returns the one value of key, "" when absent.
func single(v url.Values, key string) (string, error) {
	switch vs := v[key]; len(vs) {
	case 0:
		return "", nil
	case 1:
		return vs[0], nil
	default:
		return "", badValue(key, "repeated", []any{len(vs)}, "%s is given %d times; give it once", key, len(vs))
	}
}

// textParam returns the one value of key, checked by checkText.
func textParam(v url.Values, key string, limit int) (string, error) {
	s, err := single(v, key)
	if err != nil {
		return "", err
	}
	return s, checkText(key, s, limit)
}

// withSpaces returns v with tabs and line breaks in key's values made
// spaces, leaving v itself alone.
func withSpaces(v url.Values, key string) url.Values {
	vs, ok := v[key]
	if !ok {
		return v
	}
	out := make(url.Values, len(v))
	maps.Copy(out, v)
	out[key] = make([]string, len(vs))
	for i, s := range vs {
		if !utf8.ValidString(s) {
			out[key][i] = s // refused as it is by checkText
			continue
		}
		out[key][i] = strings.Map(func(r rune) rune {
			if r == '\t' || r == '\n' || r == '\r' {
				return ' '
			}
			return r
		}, s)
	}
	return out
}

// checkText refuses text that is not UTF-8, holds control characters, or
// is longer than limit bytes.
func checkText(key, s string, limit int) error {
	if !utf8.ValidString(s) {
		return badValue(key, "utf8", nil, "%s is not valid UTF-8 text", key)
	}
	if i := strings.IndexFunc(s, unicode.IsControl); i >= 0 {
		return badValue(key, "control", nil, "%s contains a control character (%U)", key, []rune(s[i:])[0])
	}
	if len(s) > limit {
		return badValue(key, "too_long", []any{fitRunes(s, limit)}, "%s is too long: %d bytes, at most %d", key, len(s), limit)
	}
	return nil
}

// values returns the non-empty values of a repeatable key.
func values(v url.Values, key string) ([]string, error) {
	var out []string
	for _, s := range v[key] {
		if s != "" {
			out = append(out, s)
		}
	}
	if len(out) > maxFilterValues {
		return nil, badValue(key, "too_many", []any{maxFilterValues}, "%s is given %d times, at most %d", key, len(out), maxFilterValues)
	}
	return out, nil
}

// names returns the distinct values of a repeatable key of entity names.
func names(v url.Values, key string) ([]string, error) {
	vs, err := values(v, key)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, s := range vs {
		if err := checkText(key, s, maxValueBytes); err != nil {
			return nil, err
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out, nil
}

// intParam returns the one value of key as a whole number from 1 to limit,
// 0 when absent.
func intParam(v url.Values, key string, limit int) (int, error) {
	s, err := single(v, key)
	if err != nil || s == "" {
		return 0, err
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > limit || strings.TrimLeft(s, "0123456789") != "" {
		return 0, badValue(key, "number", []any{limit}, "%s must be a whole number from 1 to %d, got %s", key, limit, quote(s))
	}
	return n, nil
}

// opParam reads how a facet's values combine: true for "and" (every value),
// false for "or" (any value, the default).
func opParam(v url.Values, key string) (bool, error) {
	s, err := single(v, key)
	switch {
	case err != nil:
		return false, err
	case s == "" || s == "or":
		return false, nil
	case s == "and":
		return true, nil
	}
	return false, badValue(key, "choice", []any{"and, or"}, "%s must be and or or, got %s", key, quote(s))
}

// yearParam returns the one value of key as a year, 0 when absent.
func yearParam(v url.Values, key string) (int, error) {
	s, err := single(v, key)
	if err != nil || s == "" {
		return 0, err
	}
	return parseYear(key, s)
}

// parseYear reads a year of four digits.
func parseYear(key, s string) (int, error) {
	if len(s) != 4 || s[0] == '0' || strings.TrimLeft(s, "0123456789") != "" {
		return 0, badValue(key, "year", nil, "%s must be a year of four digits like 2009, got %s", key, quote(s))
	}
	y, _ := strconv.Atoi(s) // four ASCII digits always parse
	return y, nil
}

// knownParams refuses parameters not in allowed.
func knownParams(v url.Values, allowed []string) error {
	for k := range v {
		if !slices.Contains(allowed, k) {
			return badValue(k, "unknown", []any{strings.Join(allowed, ", ")}, "unknown parameter %s; known are %s", quote(k), strings.Join(allowed, ", "))
		}
	}
	return nil
}

// quote quotes a value for an error message, shortened so a huge value
// does not make a huge message.
func quote(s string) string {
	const limit = 40
	if len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		return strconv.Quote(s[:cut]) + "…"
	}
	return strconv.Quote(s)
}

func joinSections() string {
	var ss []string
	for _, s := range corpus.Sections {
		ss = append(ss, string(s))
	}
	return strings.Join(ss, ", ")
}

// displayable makes a raw parameter safe to show back in a form: valid
// UTF-8, no control characters, not absurdly long.
func displayable(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
	return shorten(s, 2*index.MaxQueryBytes)
}

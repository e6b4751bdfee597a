package index

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/corpus-dev/corpus/corpus"
)

// WorkbenchPassages is how many matching passages a frequency list or a
// collocation list reads at most: the first in reading order. An answer
// that read fewer than matched says so (Read < Total) and scales its rates
// by Total/Read.
const WorkbenchPassages = 2000

// Facets a frequency list can be broken down by.
const (
	ByYear    = "year"
	ByCompany = "company"
	BySpeaker = "speaker"
	ByDoc     = "doc"
)

var byField = map[string]string{ByYear: fieldYear, ByCompany: fieldCompany, BySpeaker: fieldSpeaker, ByDoc: fieldDoc}

// MaxForms bounds the forms and words a list returns.
const MaxForms = 500

// FreqQuery asks how often a search's matches occur, by form and by the
// values of a facet.
type FreqQuery struct {
	// Query is the search; its Page, Size and Sort are ignored.
	Query Query
	// By names a facet to break the counts down by: year, company,
	// speaker or doc; "" for none.
	By string
	// Limit is how many forms to return; 0 means 100, at most MaxForms.
	Limit int
}

// FormCount is one form of a word or phrase and how often it occurs.
type FormCount struct {
	Lang corpus.Lang
	// Form is the words as written, lower-cased for English and folded to
	// simplified script for Chinese; for a match inside a Chinese word,
	// the whole word.
	Form  string
	Count int
	// PerMillion is Count per million words of the side, scaled up by
	// Total/Read when not every match was read.
	PerMillion float64
}

// FreqRow is the count of matches among the passages with one value of a
// facet.
type FreqRow struct {
	Value   string // canonical name, decimal year or document id
	LabelZH string
	Count   int
	// Size is the part of the corpus with this value.
	Size       Size
	PerMillion float64
}

// Frequencies is the answer to a FreqQuery.
type Frequencies struct {
	Query Query
	By    string
	// Total passages match; the first Read of them were counted.
	Total, Read int
	// Count is the number of matches in the passages read.
	Count      int
	PerMillion float64
	Forms      []FormCount
	Rows       []FreqRow
	// Size is the part of the corpus the filters leave.
	Size Size
}

// normalizeWorkbench checks the parts of a workbench request common to all
// of them.
func normalizeWorkbench(q Query, limit int) (Query, int, error) {
	q.Page, q.Size, q.Sort = 1, 1, SortPosition
	q, err := normalize(q)
	if err != nil {
		return q, 0, err
	}
	switch {
	case limit == 0:
		limit = 100
	case limit < 0 || limit > MaxForms:
		return q, 0, fmt.Errorf("%w: limit must be between 1 and %d, not %d", ErrBadQuery, MaxForms, limit)
	}
	return q, limit, nil
}

// matchSpans returns the spans of h's side l that the search matched
// itself, without the translation equivalents marked on it.
func matchSpans(h Hit, l corpus.Lang) []Span {
	eq := h.Equivalents[l]
	if len(eq) == 0 {
		return h.Matches[l]
	}
	var out []Span
	for _, s := range h.Matches[l] {
		if !slices.Contains(eq, s) {
			out = append(out, s)
		}
	}
	return out
}

// covering returns the words of ws that overlap span s, as indexes.
func covering(ws []wtoken, s Span) (first, last int, ok bool) {
	first, last = -1, -1
	for i, w := range ws {
		if w.End <= s.Start || w.Start >= s.End {
			continue
		}
		if first < 0 {
			first = i
		}
		last = i
	}
	return first, last, first >= 0
}

// formOf is the form of the words ws[first..last].
func formOf(ws []wtoken, first, last int, l corpus.Lang) string {
	parts := make([]string, 0, last-first+1)
	for _, w := range ws[first : last+1] {
		parts = append(parts, w.Form)
	}
	if l == corpus.Chinese {
		return strings.Join(parts, "")
	}
	return strings.Join(parts, " ")
}

// perMillion is n per million of words, or 0 without words.
func perMillion(n float64, words int) float64 {
	if words <= 0 {
		return 0
	}
	return n * 1e6 / float64(words)
}

// scale is the factor from matches read to matches in all: Total/Read.
func scale(total, read int) float64 {
	if read == 0 {
		return 0
	}
	return float64(total) / float64(read)
}

// Frequency counts the matches of fq.Query: by form, and by the values of
// the facet fq.By, with rates per million words of the corpus (or of the
// part its filters leave; of a facet value's part for its row).
func (ix *Index) Frequency(ctx context.Context, fq FreqQuery) (*Frequencies, error) {
	q, limit, err := normalizeWorkbench(fq.Query, fq.Limit)
	if err != nil {
		return nil, err
	}
	field := ""
	if fq.By != "" {
		var ok bool
		if field, ok = byField[fq.By]; !ok {
			return nil, fmt.Errorf("%w: cannot break down by %q (use year, company, speaker or doc)", ErrBadQuery, fq.By)
		}
	}
	if strings.TrimSpace(q.Text) == "" {
		return nil, fmt.Errorf("%w: a frequency list needs words to count (the word list counts every word)", ErrBadQuery)
	}
	s, t, err := ix.sampled(ctx)
	if err != nil {
		return nil, err
	}
	out := &Frequencies{Query: q, By: fq.By}
	forms := map[[2]string]int{}
	rowCount := map[string]int{}
	err = ix.scan(ctx, q, WorkbenchPassages, false, func(total int, h Hit) error {
		out.Total = total
		out.Read++
		n := ix.countForms(h, q.Lang, forms)
		out.Count += n
		if field != "" {
			for _, v := range facetValuesOf(h.Passage, fq.By) {
				rowCount[v] += n
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	size, bySize := s.sizes(t, docFilter(t, q), field)
	out.Size = size
	k := scale(out.Total, out.Read)
	out.PerMillion = perMillion(float64(out.Count)*k, size.Words(q.Lang))
	for key, n := range forms {
		l := corpus.Lang(key[0])
		out.Forms = append(out.Forms, FormCount{Lang: l, Form: key[1], Count: n, PerMillion: perMillion(float64(n)*k, size.Words(l))})
	}
	slices.SortFunc(out.Forms, func(a, b FormCount) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Lang, b.Lang); c != 0 {
			return c
		}
		return cmp.Compare(a.Form, b.Form)
	})
	if len(out.Forms) > limit {
		out.Forms = out.Forms[:limit]
	}
	out.Rows = ix.freqRows(fq.By, rowCount, bySize, k, q.Lang)
	return out, nil
}

// countForms counts in forms, by language and form, the matches of h on
// side lang ("" for both) and returns how many there are.
func (ix *Index) countForms(h Hit, lang corpus.Lang, forms map[[2]string]int) int {
	n := 0
	for _, l := range corpus.Langs {
		if lang != "" && l != lang {
			continue // entity names on the other side are marked too
		}
		spans := matchSpans(h, l)
		if len(spans) == 0 {
			continue
		}
		text := h.Passage.Text.Get(l)
		ws := ix.words(h.Passage.ID, l, text)
		for _, sp := range spans {
			f := strings.ToLower(text[sp.Start:sp.End])
			if first, last, ok := covering(ws, sp); ok {
				f = formOf(ws, first, last, l)
			}
			forms[[2]string{string(l), f}]++
			n++
		}
	}
	return n
}

// freqRows makes the rows of a breakdown by facet by from the matches
// counted per value, the sizes of the passages with each value and the
// sample's scale k: years in order, other values by count.
func (ix *Index) freqRows(by string, counts map[string]int, sizes map[string]Size, k float64, lang corpus.Lang) []FreqRow {
	var rows []FreqRow
	for v, n := range counts {
		z := sizes[v]
		row := FreqRow{Value: v, Count: n, Size: z, PerMillion: perMillion(float64(n)*k, z.Words(lang))}
		if by == ByYear {
			if y, err := strconv.Atoi(v); err == nil {
				row.Value = strconv.Itoa(y)
			}
		}
		if by == ByCompany || by == BySpeaker {
			row.LabelZH = ix.gaz.Label(v)
		}
		rows = append(rows, row)
	}
	slices.SortFunc(rows, func(a, b FreqRow) int {
		if by == ByYear {
			return cmp.Compare(a.Value, b.Value)
		}
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return cmp.Compare(a.Value, b.Value)
	})
	return rows
}

// facetValuesOf returns p's values of facet by, as the facet table names
// them.
func facetValuesOf(p corpus.Passage, by string) []string {
	switch by {
	case ByYear:
		return yearTerms(p.Years)
	case ByCompany:
		return p.Companies
	case BySpeaker:
		return p.Speakers
	case ByDoc:
		return []string{p.Doc}
	}
	return nil
}

// WordListQuery asks for the most frequent words of the corpus, or of the
// part a query's filters (and words, if any) leave.
type WordListQuery struct {
	Query Query
	// Stop keeps stop words; by default they are left out.
	Stop bool
	// Limit is how many words of each language to return; 0 means 100.
	Limit int
}

// WordList is the answer to a WordListQuery.
type WordList struct {
	Query Query
	// Words of each side, most frequent first.
	EN, ZH []FormCount
	// The counts come from Read of the Total passages of the part: the
	// first in reading order that match the query, or (Sampled) the
	// corpus sample. Rates are per million words of the passages read.
	Total, Read int
	Sampled     bool
	Size        Size
}

// Words lists the most frequent words of each language. Without words in
// the query the counts come from the corpus sample restricted by the
// filters (exact for a corpus of at most SampleSize passages) unless the
// filters leave at most WorkbenchPassages passages, which are then read
// whole; with words, from the first WorkbenchPassages passages matching.
func (ix *Index) Words(ctx context.Context, wq WordListQuery) (*WordList, error) {
	q, limit, err := normalizeWorkbench(wq.Query, wq.Limit)
	if err != nil {
		return nil, err
	}
	s, t, err := ix.sampled(ctx)
	if err != nil {
		return nil, err
	}
	pass := docFilter(t, q)
	size, _ := s.sizes(t, pass, "")
	out := &WordList{Query: q, Size: size}
	counts := [2]map[string]int{{}, {}}
	var seen [2]int
	if strings.TrimSpace(q.Text) == "" && (size.Passages > WorkbenchPassages || s.exact) {
		out.Sampled = true
		out.Total = size.Passages
		out.Read = size.Sampled
		for _, l := range corpus.Langs {
			m, n := s.counts(pass, l)
			seen[side(l)] = n
			for id, n := range m {
				counts[side(l)][s.vocab[id]] = n
			}
		}
	} else {
		err := ix.scan(ctx, q, WorkbenchPassages, false, func(total int, h Hit) error {
			out.Total = total
			out.Read++
			for _, l := range corpus.Langs {
				ws := ix.words(h.Passage.ID, l, h.Passage.Text.Get(l))
				seen[side(l)] += len(ws)
				for _, w := range ws {
					counts[side(l)][w.Form]++
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	for _, l := range corpus.Langs {
		var list []FormCount
		for f, n := range counts[side(l)] {
			if !wq.Stop && isStop(l, f) {
				continue
			}
			list = append(list, FormCount{Lang: l, Form: f, Count: n, PerMillion: perMillion(float64(n), seen[side(l)])})
		}
		slices.SortFunc(list, func(a, b FormCount) int {
			if c := cmp.Compare(b.Count, a.Count); c != 0 {
				return c
			}
			return cmp.Compare(a.Form, b.Form)
		})
		if len(list) > limit {
			list = list[:limit]
		}
		if l == corpus.English {
			out.EN = list
		} else {
			out.ZH = list
		}
	}
	return out, nil
}

package index

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"github.com/corpus-dev/corpus/corpus"
)

// SampleSize is how many passages the workbench measures to know the size
// of the corpus in words and how often each word occurs in it: rates per
// million words and association scores need both. A generation of at most
// SampleSize passages is measured whole and its figures are exact; a larger
// one is sampled once, on first use, so that no request reads the whole
// corpus: in runs of sampleRun consecutive passages spread evenly over it,
// as stored passages are compressed in chunks of neighbours and reading
// them one by one at random cost a chunk each.
const SampleSize = 5000

// sampleRun is the length of a run of the sample.
const sampleRun = 100

// sampleSlot holds a generation's sample, measured on first use.
type sampleSlot struct {
	once sync.Once
	s    *corpusSample
	err  error
}

// corpusSample is the measure of a generation: for each sampled passage,
// its document number and its words on each side.
type corpusSample struct {
	exact bool // every passage was read
	docs  []uint64
	words [2][][]int32 // by side (0 English, 1 Chinese), sampled passage: word ids
	vocab []string
	ids   map[string]int32
}

// side numbers a language for arrays indexed by side.
func side(l corpus.Lang) int {
	if l == corpus.Chinese {
		return 1
	}
	return 0
}

// sampled returns the generation's sample and facet table, measuring the
// sample on first use.
func (ix *Index) sampled(ctx context.Context) (*corpusSample, *table, error) {
	t, err := ix.table()
	if err != nil {
		return nil, nil, fmt.Errorf("read facet table: %w", err)
	}
	// The workbench's filters and sizes read the columns through
	// mustColumn, outside any guard.
	if err := t.unpackFields(tableFields...); err != nil {
		ix.noteDamage(err)
		return nil, nil, err
	}
	ix.sample.once.Do(func() {
		ix.sample.err = guard("measure corpus", func() (err error) {
			ix.sample.s, err = ix.measure(t)
			return err
		})
	})
	if ix.sample.err != nil {
		return nil, nil, ix.sample.err
	}
	return ix.sample.s, t, ctx.Err()
}

// measure reads the sample's passages and their words.
func (ix *Index) measure(t *table) (*corpusSample, error) {
	s := &corpusSample{exact: t.n <= SampleSize, ids: map[string]int32{}}
	docs := t.mustColumn(fieldDoc)
	var sample []uint64
	if s.exact {
		for d := range t.n {
			sample = append(sample, d)
		}
	} else {
		// t.n > SampleSize, so a stride is longer than a run.
		runs := uint64(SampleSize / sampleRun)
		stride := t.n / runs
		for r := range runs {
			for k := range uint64(sampleRun) {
				sample = append(sample, r*stride+k)
			}
		}
	}
	for _, d := range sample {
		if d >= t.n || len(docs.of(d)) == 0 {
			continue
		}
		p, err := t.passage(ix.st, d)
		if err != nil {
			return nil, fmt.Errorf("measure corpus: %w", err)
		}
		s.docs = append(s.docs, d)
		for _, l := range corpus.Langs {
			ws := ix.words(p.ID, l, p.Text.Get(l))
			ids := make([]int32, len(ws))
			for i, w := range ws {
				ids[i] = s.id(w.Form)
			}
			s.words[side(l)] = append(s.words[side(l)], ids)
		}
	}
	return s, nil
}

func (s *corpusSample) id(form string) int32 {
	if i, ok := s.ids[form]; ok {
		return i
	}
	i := int32(len(s.vocab))
	s.vocab = append(s.vocab, form)
	s.ids[form] = i
	return i
}

// Size is the size of the part of the corpus a request looked at: the
// passages its filters leave, and their words on each side.
type Size struct {
	Passages int
	// Words on each side. Exact when Sampled is every passage of the
	// generation, otherwise estimated from the Sampled passages.
	WordsEN, WordsZH int
	// Sampled is how many passages of the part were measured.
	Sampled int
	Exact   bool
}

// Words returns the words of side l, or of both sides for "".
func (z Size) Words(l corpus.Lang) int {
	switch l {
	case corpus.English:
		return z.WordsEN
	case corpus.Chinese:
		return z.WordsZH
	}
	return z.WordsEN + z.WordsZH
}

// docFilter returns whether document number d is in the part of the corpus
// q's filters (facets and document) leave.
func docFilter(t *table, q Query) func(d uint64) bool {
	var checks []func(d uint64) bool
	anyOf := func(field string, vs []string) {
		c := t.mustColumn(field)
		ok := make([]bool, len(c.names))
		for _, v := range vs {
			if i := sort.SearchStrings(c.names, v); i < len(c.names) && c.names[i] == v {
				ok[i] = true
			}
		}
		checks = append(checks, func(d uint64) bool {
			for _, v := range c.of(d) {
				if ok[v] {
					return true
				}
			}
			return false
		})
	}
	allOf := func(field string, vs []string) {
		for _, v := range vs {
			anyOf(field, []string{v})
		}
	}
	switch {
	case len(q.Companies) > 0 && q.CompaniesAll:
		allOf(fieldCompany, q.Companies)
	case len(q.Companies) > 0:
		anyOf(fieldCompany, q.Companies)
	}
	switch {
	case len(q.Speakers) > 0 && q.SpeakersAll:
		allOf(fieldSpeaker, q.Speakers)
	case len(q.Speakers) > 0:
		anyOf(fieldSpeaker, q.Speakers)
	}
	if len(q.Sections) > 0 {
		anyOf(fieldSection, sectionTerms(q.Sections))
	}
	if len(q.Years) > 0 {
		anyOf(fieldYear, yearTerms(q.Years))
	}
	if q.YearFrom != 0 || q.YearTo != 0 {
		lo, hi := q.YearFrom, q.YearTo
		if hi == 0 {
			hi = 9999
		}
		c := t.mustColumn(fieldYear)
		checks = append(checks, func(d uint64) bool {
			for _, v := range c.of(d) {
				if y := t.years[v]; y >= lo && y <= hi {
					return true
				}
			}
			return false
		})
	}
	if q.Doc != "" {
		anyOf(fieldDoc, []string{q.Doc})
	}
	docs := t.mustColumn(fieldDoc)
	return func(d uint64) bool {
		if len(docs.of(d)) == 0 {
			return false
		}
		for _, c := range checks {
			if !c(d) {
				return false
			}
		}
		return true
	}
}

// minSampled is how many sampled passages a facet value needs for its own
// mean length; with fewer, the part's mean stands in.
const minSampled = 20

// sizes returns the size of the part pass leaves and, when field is not
// "", of each of that field's values within it. Passage counts are exact
// (from the facet table); word counts are the sampled passages' mean
// length times the passage count.
func (s *corpusSample) sizes(t *table, pass func(uint64) bool, field string) (Size, map[string]Size) {
	var col *column
	if field != "" {
		col = t.mustColumn(field)
	}
	type acc struct {
		passages, sampled int
		words             [2]int
	}
	var all acc
	var by []acc
	if col != nil {
		by = make([]acc, len(col.names))
	}
	for d := uint64(0); d < t.n; d++ {
		if !pass(d) {
			continue
		}
		all.passages++
		if col != nil {
			for _, v := range col.of(d) {
				by[v].passages++
			}
		}
	}
	for i, d := range s.docs {
		if !pass(d) {
			continue
		}
		all.sampled++
		for k := range 2 {
			all.words[k] += len(s.words[k][i])
		}
		if col != nil {
			for _, v := range col.of(d) {
				by[v].sampled++
				for k := range 2 {
					by[v].words[k] += len(s.words[k][i])
				}
			}
		}
	}
	exact := s.exact
	size := func(a acc, mean acc) Size {
		z := Size{Passages: a.passages, Sampled: a.sampled, Exact: exact}
		if exact {
			z.WordsEN, z.WordsZH = a.words[0], a.words[1]
			return z
		}
		if a.sampled < minSampled {
			a = mean
			a.passages = z.Passages
		}
		if a.sampled > 0 {
			z.WordsEN = int(float64(a.words[0]) * float64(z.Passages) / float64(a.sampled))
			z.WordsZH = int(float64(a.words[1]) * float64(z.Passages) / float64(a.sampled))
		}
		return z
	}
	total := size(all, all)
	if col == nil {
		return total, nil
	}
	out := map[string]Size{}
	for v, a := range by {
		if a.passages > 0 {
			out[col.names[v]] = size(a, all)
		}
	}
	return total, out
}

// counts returns how often each word occurs on side l in the sampled
// passages pass leaves, and how many words they hold there.
func (s *corpusSample) counts(pass func(uint64) bool, l corpus.Lang) (map[int32]int, int) {
	k := side(l)
	m := map[int32]int{}
	n := 0
	for i, d := range s.docs {
		if !pass(d) {
			continue
		}
		for _, w := range s.words[k][i] {
			m[w]++
		}
		n += len(s.words[k][i])
	}
	return m, n
}

// docFreqs returns in how many of the sampled passages pass leaves side
// l has each word of want, and how many passages it sampled.
func (s *corpusSample) docFreqs(pass func(uint64) bool, l corpus.Lang, want map[int32]bool) (map[int32]int, int) {
	k := side(l)
	df := map[int32]int{}
	sampled := 0
	seen := map[int32]bool{}
	for i, d := range s.docs {
		if !pass(d) {
			continue
		}
		sampled++
		clear(seen)
		for _, w := range s.words[k][i] {
			if want[w] && !seen[w] {
				seen[w] = true
				df[w]++
			}
		}
	}
	return df, sampled
}

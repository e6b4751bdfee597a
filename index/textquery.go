package index

import (
	"fmt"
	"sort"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/corpus-dev/corpus/corpus"
)

// textQuery turns parsed clauses into a bleve query on the text fields and
// the entity fields of side lang ("" for both), and lists the prefixes whose
// expansion was capped. A group of stop words ("the", "of", 的) scores but
// does not gate when the query has another group: "the iron curtain" finds
// what "iron curtain" finds, ranked by "the" too, while "the" alone finds
// every passage with "the".
func (ix *Index) textQuery(p parsed, lang corpus.Lang) (query.Query, []string, error) {
	if p.empty() && len(p.Excluded) == 0 {
		return bleve.NewMatchAllQuery(), nil, nil
	}
	var capped []string
	cq := func(c clause) (query.Query, error) {
		q, cut, err := ix.clauseQuery(c, lang)
		if cut {
			capped = append(capped, c.Text)
		}
		return q, err
	}
	gating := false
	for _, g := range p.Groups {
		if !ix.stopGroup(g) {
			gating = true
		}
	}
	b := bleve.NewBooleanQuery()
	for _, g := range p.Groups {
		var alts []query.Query
		for _, c := range g {
			q, err := cq(c)
			if err != nil {
				return nil, nil, err
			}
			alts = append(alts, q)
		}
		var gq query.Query = bleve.NewDisjunctionQuery(alts...)
		if len(alts) == 1 {
			gq = alts[0]
		}
		if gating && ix.stopGroup(g) {
			b.AddShould(gq)
		} else {
			b.AddMust(gq)
		}
	}
	holdShould(b)
	if p.empty() {
		b.AddMust(bleve.NewMatchAllQuery())
	}
	for _, c := range p.Excluded {
		q, err := cq(c)
		if err != nil {
			return nil, nil, err
		}
		b.AddMustNot(q)
	}
	return ix.onStores(b), capped, nil
}

// stopGroup reports whether every clause of g is a stop word: an English
// one (bleve's list) or one of queryStop.
func (ix *Index) stopGroup(g []clause) bool {
	for _, c := range g {
		switch c.Kind {
		case kindWord:
			toks := ix.analyze(enAnalyzerName, c.Text)
			if len(toks) == 0 {
				return false
			}
			for _, t := range toks {
				if !enStopWords[string(t.Term)] {
					return false
				}
			}
		case kindHan:
			if !queryStop[corpus.Fold(c.Text)] {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// enStopWords are the English stop words of bleve's list.
var enStopWords = func() map[string]bool {
	m := analysis.NewTokenMap()
	if err := m.LoadBytes(en.EnglishStopWords); err != nil {
		panic(err)
	}
	return m
}()

// entityBoost weighs a match through an entity's tag below a match of the
// words themselves, so passages that say the words rank first.
const entityBoost = 0.4

// wordBoost weighs a Chinese string's match as a whole word of the
// segmenter above its match inside a longer word.
const wordBoost = 2

// clauseQuery returns the query of one clause, and whether it is a prefix
// whose expansion was capped at MaxExpansions.
func (ix *Index) clauseQuery(c clause, lang corpus.Lang) (query.Query, bool, error) {
	var alts []query.Query
	en, zh := lang != corpus.Chinese, lang != corpus.English
	capped := false
	switch c.Kind {
	case kindWord:
		if en {
			alts = appendNonNil(alts, ix.enWordQuery(c.Text))
		}
		if zh {
			alts = appendNonNil(alts, ix.allTerms(fieldZH, ix.analyze(zhAnalyzerName, c.Text)))
		}
	case kindHan:
		if zh {
			alts = appendNonNil(alts, ix.hanQuery(c.Text))
		}
	case kindPhrase:
		switch {
		case hasHan(c.Text):
			if zh {
				alts = appendNonNil(alts, ix.hanQuery(c.Text))
			}
		default:
			if en {
				alts = appendNonNil(alts, phraseOrTerm(fieldEN, ix.analyze(enAnalyzerName, c.Text)))
			}
			if zh {
				alts = appendNonNil(alts, ix.latinPhrase(c.Text))
			}
		}
	case kindPrefix:
		var fields []string
		if en {
			fields = append(fields, fieldEN)
		}
		if zh {
			fields = append(fields, fieldZH)
		}
		terms, cut, err := ix.expand(fields, c.Text)
		if err != nil {
			return nil, false, err
		}
		capped = cut
		for _, t := range terms {
			for _, f := range fields {
				alts = append(alts, termQ(f, t))
			}
		}
	}
	entField := map[corpus.Lang]string{"": fieldEntity, corpus.English: fieldEntityEN, corpus.Chinese: fieldEntityZH}[lang]
	for _, e := range c.Entities {
		t := termQ(entField, e)
		t.SetBoost(entityBoost)
		alts = append(alts, t)
	}
	switch len(alts) {
	case 0:
		return bleve.NewMatchNoneQuery(), capped, nil
	case 1:
		return alts[0], capped, nil
	}
	return bleve.NewDisjunctionQuery(alts...), capped, nil
}

func appendNonNil(qs []query.Query, q query.Query) []query.Query {
	if q == nil {
		return qs
	}
	return append(qs, q)
}

// enWordQuery matches every English word of text by its stem (all of
// them, when the text is several words, such as "e-mail"), or returns nil.
// A passage's word w is indexed as itself in "en" and, if its stem s
// differs, as s in "en_stem"; so the passages with a word of stem s are
// those with s in "en_stem", and those with s itself in "en" if s is its
// own stem.
func (ix *Index) enWordQuery(text string) query.Query {
	toks := ix.analyze(enAnalyzerName, text)
	var must []query.Query
	for _, t := range toks {
		s := stem(string(t.Term))
		var q query.Query = termQ(fieldENStem, s)
		if stem(s) == s {
			q = bleve.NewDisjunctionQuery(termQ(fieldEN, s), q)
		}
		must = append(must, q)
	}
	return allOf(must)
}

// allTerms requires every token of toks as a term of field, or returns nil.
func (ix *Index) allTerms(field string, toks analysis.TokenStream) query.Query {
	var must []query.Query
	for _, t := range toks {
		must = append(must, termQ(field, string(t.Term)))
	}
	return allOf(must)
}

// phraseOrTerm is the phrase of toks on field, a term query for one token
// (the same matches and scores, without reading positions), nil for none.
func phraseOrTerm(field string, toks analysis.TokenStream) query.Query {
	switch len(toks) {
	case 0:
		return nil
	case 1:
		return termQ(field, string(toks[0].Term))
	}
	return newPhraseQuery(field, toks)
}

// hanQuery matches text holding Han characters on the Chinese side: each
// run of Han characters as a substring (hanSubstring), every other word of
// it as a word of the Chinese side. A run the segmenter also finds as a
// whole word or words of the passage scores higher, without gating.
func (ix *Index) hanQuery(text string) query.Query {
	var must, should []query.Query
	for _, t := range ix.analyze(zhAnalyzerName, text) {
		if !hasHan(string(t.Term)) {
			must = append(must, termQ(fieldZH, string(t.Term)))
		}
	}
	for _, run := range corpus.HanRuns(corpus.Fold(text)) {
		must = append(must, hanSubstring(run))
		if w := wordsAnywhere(ix.analyze(zhAnalyzerName, run)); w != nil {
			if b, ok := w.(query.BoostableQuery); ok {
				b.SetBoost(wordBoost)
			}
			should = append(should, w)
		}
	}
	if len(must) == 0 {
		return nil
	}
	b := bleve.NewBooleanQuery()
	b.AddMust(must...)
	if len(should) > 0 {
		b.AddShould(should...)
		holdShould(b)
	}
	return b
}

// latinPhrase is the phrase of text, which has no Han characters, on the
// Chinese side: a term of zh for one word, else a phrase of zh_latin, which
// keeps the positions of the Chinese side's Latin words (zh keeps none).
func (ix *Index) latinPhrase(text string) query.Query {
	toks := ix.analyze(zhAnalyzerName, text)
	if len(toks) < 2 {
		return phraseOrTerm(fieldZH, toks)
	}
	return phraseOrTerm(fieldZHLatin, ix.analyze(zhLatinAnalyzer, text))
}

// wordsAnywhere requires every word of toks, the words of the Chinese
// side's analyzer, as a term of zh: a term query for one, else the phrase
// of them without its check of positions, which zh does not keep; scored as
// the phrase was. Nil for none.
func wordsAnywhere(toks analysis.TokenStream) query.Query {
	if len(toks) < 2 {
		return phraseOrTerm(fieldZH, toks)
	}
	q := newPhraseQuery(fieldZH, toks)
	q.anywhere = true
	return q
}

// zhPhrase is what a phrase of text's words on the Chinese side was when
// zh kept positions: each of its Han runs as a substring (zh2's bigrams),
// its words as terms of zh (wordsAnywhere) and its other words, if more
// than one, as a phrase of zh_latin. Nil when text has no words.
func (ix *Index) zhPhrase(text string) query.Query {
	toks := ix.analyze(zhAnalyzerName, text)
	if len(toks) < 2 {
		return phraseOrTerm(fieldZH, toks)
	}
	must := []query.Query{wordsAnywhere(toks)}
	for _, run := range corpus.HanRuns(corpus.Fold(text)) {
		must = append(must, hanSubstring(run))
	}
	if lt := ix.analyze(zhLatinAnalyzer, text); len(lt) > 1 {
		must = append(must, newPhraseQuery(fieldZHLatin, lt))
	}
	return allOf(must)
}

// hanSubstring matches the passages whose folded Chinese side contains run,
// a folded run of Han characters: one character is a term of "zh1", two a
// term of "zh2", more the bigrams that cover the run (at offsets 0, 2,
// 4, ... and the last) at their offsets: every character of the run is
// then checked at its place, with half the terms of all its bigrams. The
// terms are read from the substring index, where the generation has one
// (textQuery).
func hanSubstring(run string) query.Query {
	rs := []rune(run)
	switch len(rs) {
	case 1:
		return termQ(fieldZH1, run)
	case 2:
		return termQ(fieldZH2, run)
	}
	terms := make([][]string, len(rs)-1)
	for i := range terms {
		if i%2 == 0 || i == len(rs)-2 {
			terms[i] = []string{string(rs[i : i+2])}
		} else {
			terms[i] = []string{""}
		}
	}
	return &phraseQuery{field: fieldZH2, terms: terms, boost: 1, once: true}
}

// expand returns the first MaxExpansions distinct terms of fields that
// begin with prefix, in term order, and whether there were more.
func (ix *Index) expand(fields []string, prefix string) ([]string, bool, error) {
	set := map[string]bool{}
	r, err := ix.reader()
	if err != nil {
		return nil, false, fmt.Errorf("expand %s*: %w", prefix, err)
	}
	defer r.Close()
	for _, f := range fields {
		d, err := r.FieldDictPrefix(f, []byte(prefix))
		if err != nil {
			return nil, false, fmt.Errorf("expand %s*: %w", prefix, err)
		}
		n := 0
		for n <= MaxExpansions {
			e, err := d.Next()
			if err != nil {
				d.Close()
				return nil, false, fmt.Errorf("expand %s*: %w", prefix, err)
			}
			if e == nil {
				break
			}
			set[e.Term] = true
			n++
		}
		if err := d.Close(); err != nil {
			return nil, false, fmt.Errorf("expand %s*: %w", prefix, err)
		}
	}
	terms := make([]string, 0, len(set))
	for t := range set {
		terms = append(terms, t)
	}
	sort.Strings(terms)
	if len(terms) > MaxExpansions {
		return terms[:MaxExpansions], true, nil
	}
	return terms, false, nil
}

// zhWords segments Chinese query text the way the index did.
func (ix *Index) zhWords(s string) []string {
	var out []string
	for _, t := range ix.analyze(zhAnalyzerName, s) {
		out = append(out, string(t.Term))
	}
	return out
}

// fieldAnalyzer names the analyzer of each text field.
var fieldAnalyzer = map[string]string{fieldEN: enAnalyzerName, fieldZH: zhAnalyzerName, fieldZHLatin: zhLatinAnalyzer, fieldZH2: zh2AnalyzerName}

// analyze runs the named analyzer of the index's mapping on s, offsets
// included (see positionsOnly).
func (ix *Index) analyze(analyzer, s string) analysis.TokenStream {
	a := ix.analyzers.get(ix.bi.Mapping(), analyzer)
	if a == nil {
		return nil
	}
	return a.Analyze([]byte(s))
}

// analyzerCache keeps the analyzers Index.analyze runs, by name.
type analyzerCache struct {
	mu sync.Mutex
	m  map[string]analysis.Analyzer
}

func (c *analyzerCache) get(m mapping.IndexMapping, name string) analysis.Analyzer {
	c.mu.Lock()
	defer c.mu.Unlock()
	if a, ok := c.m[name]; ok {
		return a
	}
	a := m.AnalyzerNamed(name)
	if a != nil {
		a = withOffsets(a)
	}
	if c.m == nil {
		c.m = map[string]analysis.Analyzer{}
	}
	c.m[name] = a
	return a
}

// displayTerms lists the analysed words of the positive clauses.
func (ix *Index) displayTerms(p parsed) []string {
	seen := map[string]bool{}
	var out []string
	for _, g := range p.Groups {
		for _, c := range g {
			if !seen[c.Text] {
				seen[c.Text] = true
				out = append(out, c.Text)
			}
		}
	}
	return out
}

// allOf is the conjunction of qs: nil for none, the query itself for one.
func allOf(qs []query.Query) query.Query {
	switch len(qs) {
	case 0:
		return nil
	case 1:
		return qs[0]
	}
	return bleve.NewConjunctionQuery(qs...)
}

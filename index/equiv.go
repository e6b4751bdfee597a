package index

import (
	"bytes"
	"cmp"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/corpus-dev/corpus/corpus"
)

// Translation equivalents: the words of one side that translate the
// query's words on the other (iron curtain ↔ 铁幕, technology ↔ 技术). They
// come from CC-CEDICT (data/cedict.tsv.gz, CC BY-SA 4.0, see
// data/README.md); the gazetteer already links entity names across the
// languages. Hits mark the equivalents found on the other side of the
// passage, and Query.Expand (or ~ before a query) also finds passages
// whose other side has them.

//go:embed data/cedict.tsv.gz
var cedictGz []byte

// dictionary is CC-CEDICT as the index uses it: the file's text, kept
// whole, with sorted indexes into it instead of maps. Maps of every
// headword, gloss and term were 27 MiB of live heap and 37 MiB allocated
// while a cold start waited for them; the text and its indexes are 11 MiB
// allocated once, and a lookup is a binary search.
type dictionary struct {
	text string
	// lines holds where each line starts; the lines are sorted by their
	// headword (checked at load), so a headword is found by binary search.
	lines []uint32
	// english fills and sorts en and fills terms, once, before they are
	// read: a Chinese word's glosses need only lines, so a first Chinese
	// search does not wait for them (most of a load's time).
	english sync.Once
	// en lists each English gloss, as the English analyzer's terms joined
	// by spaces ("iron curtain", "technolog"), with the line of a headword
	// it glosses: sorted by gloss, then line.
	en []glossEntry
	// terms lists each term of a gloss with the gloss's first entry in
	// en, for the looser matches of equivalents: sorted by term.
	terms []termEntry
}

type glossEntry struct {
	key  string
	line uint32
}

type termEntry struct {
	term string
	key  uint32
}

// cedict is loaded once, as an index opens (prefetch); its English
// indexes are made and sorted once the index has answered its first search
// (Open), or by an English search that needs them first. The file carries each gloss's analysed key
// (TestCEDICTData).
var cedict = sync.OnceValues(func() (*dictionary, error) {
	return readDictionary(cedictGz)
})

// readDictionary reads a gzipped file in the form of data/cedict.tsv.gz.
func readDictionary(gz []byte) (*dictionary, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("read cedict.tsv.gz: %w", err)
	}
	var buf strings.Builder
	buf.Grow(4 << 20)
	if _, err := io.Copy(&buf, zr); err != nil {
		return nil, fmt.Errorf("read cedict.tsv.gz: %w", err)
	}
	d := &dictionary{text: buf.String()}
	// Sized in advance: grown by appends, the indexes allocated as much
	// again as the maps they replace.
	d.lines = make([]uint32, 0, strings.Count(d.text, "\n")+1)
	prev := ""
	for off := 0; off < len(d.text); {
		n := len(d.lines) + 1
		end := strings.IndexByte(d.text[off:], '\n')
		if end < 0 {
			end = len(d.text) - off
		}
		head, rest, ok := strings.Cut(d.text[off:off+end], "\t")
		gs, ks, ok2 := strings.Cut(rest, "\t")
		if !ok || !ok2 || strings.Contains(ks, "\t") {
			return nil, fmt.Errorf("cedict.tsv.gz:%d: want 3 fields", n)
		}
		if g, k := strings.Count(gs, "|")+1, strings.Count(ks, "|")+1; g != k {
			return nil, fmt.Errorf("cedict.tsv.gz:%d: %d glosses, %d keys", n, g, k)
		}
		if head <= prev {
			return nil, fmt.Errorf("cedict.tsv.gz:%d: headword %q not after %q: the file must be sorted", n, head, prev)
		}
		prev = head
		d.lines = append(d.lines, uint32(off))
		off += end + 1
	}
	return d, nil
}

// sortEnglish makes en and terms ready to be searched; every reader of
// them calls it first.
func (d *dictionary) sortEnglish() { d.english.Do(d.sortEnglishOnce) }

func (d *dictionary) sortEnglishOnce() {
	// Made here, not at load, which a first Chinese search waits for.
	d.en = make([]glossEntry, 0, len(d.lines)+strings.Count(d.text, "|")/2)
	for i, at := range d.lines {
		l := d.text[at:]
		if end := strings.IndexByte(l, '\n'); end >= 0 {
			l = l[:end]
		}
		_, ks, _ := strings.Cut(l[strings.IndexByte(l, '\t')+1:], "\t")
		for k := range strings.SplitSeq(ks, "|") {
			if k != "" {
				d.en = append(d.en, glossEntry{key: k, line: uint32(i)})
			}
		}
	}
	slices.SortFunc(d.en, func(a, b glossEntry) int {
		return cmp.Or(strings.Compare(a.key, b.key), cmp.Compare(a.line, b.line))
	})
	first := func(i int) bool { return i == 0 || d.en[i-1].key != d.en[i].key }
	terms := 0
	for i, e := range d.en {
		if first(i) {
			terms += strings.Count(e.key, " ") + 1
		}
	}
	d.terms = make([]termEntry, 0, terms)
	for i, e := range d.en {
		if first(i) {
			for t := range strings.FieldsSeq(e.key) {
				d.terms = append(d.terms, termEntry{term: t, key: uint32(i)})
			}
		}
	}
	slices.SortFunc(d.terms, func(a, b termEntry) int {
		return cmp.Or(strings.Compare(a.term, b.term), cmp.Compare(a.key, b.key))
	})
}

// line returns the fields of line i: headword, glosses, keys.
func (d *dictionary) line(i int) (head, glosses string) {
	l := d.text[d.lines[i]:]
	if end := strings.IndexByte(l, '\n'); end >= 0 {
		l = l[:end]
	}
	head, rest, _ := strings.Cut(l, "\t")
	glosses, _, _ = strings.Cut(rest, "\t")
	return head, glosses
}

// glosses returns the English glosses of a Chinese headword.
func (d *dictionary) glosses(head string) []string {
	i, found := sort.Find(len(d.lines), func(i int) int {
		h, _, _ := strings.Cut(d.text[d.lines[i]:], "\t")
		return strings.Compare(head, h)
	})
	if !found {
		return nil
	}
	_, gs := d.line(i)
	return strings.Split(gs, "|")
}

// heads returns the headwords that key glosses, in the file's order.
func (d *dictionary) heads(key string) []string {
	d.sortEnglish()
	i, _ := slices.BinarySearchFunc(d.en, key, func(e glossEntry, k string) int { return strings.Compare(e.key, k) })
	var out []string
	for ; i < len(d.en) && d.en[i].key == key; i++ {
		if h, _ := d.line(int(d.en[i].line)); !slices.Contains(out, h) {
			out = append(out, h)
		}
	}
	return out
}

// withTerm returns the entries of terms for term, one per gloss that has
// it (d.en[e.key].key): a part of terms, not a copy, since every search
// asks this of each term of its English words, and a common term ("make")
// is in hundreds of glosses.
func (d *dictionary) withTerm(term string) []termEntry {
	d.sortEnglish()
	lo, _ := slices.BinarySearchFunc(d.terms, term, func(e termEntry, t string) int { return strings.Compare(e.term, t) })
	hi := lo
	for hi < len(d.terms) && d.terms[hi].term == term {
		hi++
	}
	return d.terms[lo:hi]
}

// enKey is English text as the dictionary's keys hold it: its words'
// stems, stop words left out, as the English analyzer made them before it
// kept every word (index format 5).
func (ix *Index) enKey(text string) string {
	var parts []string
	for _, t := range ix.analyze(enAnalyzerName, text) {
		if w := string(t.Term); !enStopWords[w] {
			parts = append(parts, stem(w))
		}
	}
	return strings.Join(parts, " ")
}

// maxEquivalents bounds the equivalents of one word or phrase.
const maxEquivalents = 12

// Equivalent is a translation of a query's word or phrase on the other
// side.
type Equivalent struct {
	// Of is the query's word or phrase; Lang the side of Text.
	Of   string
	Lang corpus.Lang
	Text string
	// Exact is true when the dictionary glosses one as the other exactly;
	// otherwise the gloss contains the words with one more ("technology"
	// in "science and technology" for 科技).
	Exact bool
}

// equivalents returns the translations of a clause's text on the other
// side: Chinese headwords for English text, English glosses for Chinese.
func (ix *Index) equivalents(text string) []Equivalent {
	d, err := cedict()
	if err != nil || strings.TrimSpace(text) == "" {
		return nil
	}
	var out []Equivalent
	if hasHan(text) {
		w := strings.Join(ix.zhWords(text), "")
		for _, g := range d.glosses(w) {
			out = append(out, Equivalent{Of: text, Lang: corpus.English, Text: g, Exact: true})
			if len(out) == maxEquivalents {
				break
			}
		}
		return out
	}
	key := ix.enKey(text)
	if key == "" {
		return nil
	}
	exact := d.heads(key)
	for _, h := range exact {
		out = append(out, Equivalent{Of: text, Lang: corpus.Chinese, Text: h, Exact: true})
	}
	// Looser: glosses with every term of the key and one more.
	terms := strings.Fields(key)
	rarest := d.withTerm(terms[0])
	for _, t := range terms[1:] {
		if es := d.withTerm(t); len(es) < len(rarest) {
			rarest = es
		}
	}
	var loose []string
	for _, e := range rarest {
		k := d.en[e.key].key
		kt := strings.Fields(k)
		if len(kt) != len(terms)+1 || !containsAll(kt, terms) {
			continue
		}
		for _, h := range d.heads(k) {
			if !slices.Contains(loose, h) && !slices.Contains(exact, h) {
				loose = append(loose, h)
			}
		}
	}
	sort.Slice(loose, func(i, j int) bool {
		if len(loose[i]) != len(loose[j]) {
			return len(loose[i]) < len(loose[j])
		}
		return loose[i] < loose[j]
	})
	for _, h := range loose {
		out = append(out, Equivalent{Of: text, Lang: corpus.Chinese, Text: h})
	}
	if len(out) > maxEquivalents {
		out = out[:maxEquivalents]
	}
	return out
}

func containsAll(have, want []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

// lookup is a piece of a query whose equivalents are looked up: a
// clause, or a run of single English words the dictionary has as one
// gloss ("iron curtain" typed without quotes), covering the groups in
// groups.
type lookup struct {
	text   string
	groups []int
	eqs    []Equivalent
}

// lookups returns the pieces of p to translate, each with its
// equivalents: runs of up to four one-word groups that the dictionary
// glosses as a whole come first, then the clauses they do not cover.
func (ix *Index) lookups(p parsed) []lookup {
	single := func(i int) bool {
		g := p.Groups[i]
		return len(g) == 1 && g[0].Kind == kindWord
	}
	covered := make([]bool, len(p.Groups))
	var out []lookup
	for n := min(4, len(p.Groups)); n > 1; n-- {
		for i := 0; i+n <= len(p.Groups); i++ {
			words := make([]string, 0, n)
			ok := true
			for k := i; k < i+n; k++ {
				if covered[k] || !single(k) {
					ok = false
					break
				}
				words = append(words, p.Groups[k][0].Text)
			}
			if !ok {
				continue
			}
			text := strings.Join(words, " ")
			var exact []Equivalent
			for _, e := range ix.equivalents(text) {
				if e.Exact {
					exact = append(exact, e)
				}
			}
			if len(exact) == 0 {
				continue
			}
			l := lookup{text: text, eqs: exact}
			for k := i; k < i+n; k++ {
				covered[k] = true
				l.groups = append(l.groups, k)
			}
			out = append(out, l)
		}
	}
	for i, g := range p.Groups {
		if covered[i] {
			continue
		}
		for _, c := range g {
			out = append(out, lookup{text: c.Text, groups: []int{i}, eqs: ix.equivalents(c.Text)})
		}
	}
	return out
}

// Equivalents returns the dictionary's translations of each positive word
// and phrase of text, in the order of the query.
func (ix *Index) Equivalents(text string) ([]Equivalent, error) {
	if _, err := cedict(); err != nil {
		return nil, err
	}
	p, err := parseQuery(splitSides(text).both, ix.gaz)
	if err != nil {
		return nil, err
	}
	var out []Equivalent
	for _, l := range ix.lookups(p) {
		out = append(out, l.eqs...)
	}
	return out, nil
}

// equivMarks are the equivalents of a query's clauses as the highlighter
// looks for them on each side: analysed term sequences.
type equivMarks map[corpus.Lang][][]string

// equivMarksOf returns the equivalents of the positive clauses of parts.
func (ix *Index) equivMarksOf(parts []sidePart) equivMarks {
	m := equivMarks{}
	for _, part := range parts {
		for _, l := range ix.lookups(part.p) {
			for _, e := range l.eqs {
				var seq []string
				for _, t := range ix.analyze(sideAnalyzer[e.Lang], e.Text) {
					seq = append(seq, string(t.Term))
				}
				if len(seq) > 0 {
					m[e.Lang] = append(m[e.Lang], seq)
				}
			}
		}
	}
	return m
}

// seqSpans returns the spans of toks where a sequence of seqs occurs at
// consecutive positions.
func seqSpans(toks analysis.TokenStream, seqs [][]string) []Span {
	var out []Span
	for i := range toks {
		for _, seq := range seqs {
			if seqAt(toks, i, seq) {
				out = append(out, Span{toks[i].Start, toks[i+len(seq)-1].End})
			}
		}
	}
	return out
}

// seqAt reports whether the terms of seq are those of toks from i on, at
// consecutive positions.
func seqAt(toks analysis.TokenStream, i int, seq []string) bool {
	if i+len(seq) > len(toks) {
		return false
	}
	for k, term := range seq {
		t := toks[i+k]
		if string(t.Term) != term || (k > 0 && t.Position != toks[i+k-1].Position+1) {
			return false
		}
	}
	return true
}

// equivSpans returns the spans of one side of a passage that hold an
// equivalent of the query and no match of its own.
func (ix *Index) equivSpans(m equivMarks, id string, lang corpus.Lang, text string, matched []Span) []Span {
	seqs := m[lang]
	if len(seqs) == 0 || text == "" {
		return nil
	}
	var out []Span
	for _, s := range mergeSpans(seqSpans(ix.passageAnalysis(id, lang, text).tokens, seqs)) {
		if !slices.ContainsFunc(matched, func(x Span) bool { return x.Start < s.End && s.Start < x.End }) {
			out = append(out, s)
		}
	}
	return out
}

// equivQuery finds passages whose other side has equivalents of p's
// positive words: every word or phrase with equivalents needs one of them,
// every one without needs itself (on either side); p's exclusions still
// apply. Nil when nothing has an equivalent.
func (ix *Index) equivQuery(p parsed) (query.Query, error) {
	b := bleve.NewBooleanQuery()
	found := false
	alts := map[int][]query.Query{} // by first group covered
	done := make([]bool, len(p.Groups))
	for _, l := range ix.lookups(p) {
		first := l.groups[0]
		if len(l.eqs) == 0 {
			for _, c := range p.Groups[first] {
				if c.Text == l.text {
					q, _, err := ix.clauseQuery(c, "")
					if err != nil {
						return nil, err
					}
					alts[first] = append(alts[first], q)
				}
			}
			continue
		}
		found = true
		for _, g := range l.groups {
			done[g] = g != first
		}
		for _, e := range l.eqs {
			if e.Lang != corpus.English {
				alts[first] = appendNonNil(alts[first], ix.zhPhrase(e.Text))
				continue
			}
			alts[first] = appendNonNil(alts[first], phraseOrTerm(fieldEN, ix.analyze(enAnalyzerName, e.Text)))
		}
	}
	if !found {
		return nil, nil
	}
	for i := range p.Groups {
		if done[i] {
			continue
		}
		if len(alts[i]) == 0 {
			return nil, nil
		}
		b.AddMust(bleve.NewDisjunctionQuery(alts[i]...))
	}
	for _, c := range p.Excluded {
		q, _, err := ix.clauseQuery(c, "")
		if err != nil {
			return nil, err
		}
		b.AddMustNot(q)
	}
	return ix.onStores(b), nil
}

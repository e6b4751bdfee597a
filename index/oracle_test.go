package index_test

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"unicode"

	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
)

// The oracle: a naive scan over the passages decides which passages a query
// matches, and search must answer exactly that set. It shares with the
// index only the definitions of a word (each side's analyzer cuts a text
// into words; English words match by stem), the folding of Chinese, the
// gazetteer's entity tags and the lists of stop words; everything else
// (Chinese strings as literal substrings, phrases as consecutive words, OR,
// exclusions, stop words that do not gate, prefixes, filters) is computed
// here from the text.

var oracleSeed = flag.Uint64("oracle.seed", 0, "run the oracle tests with this seed only (as printed by a failure)")

// opKind is the kind of one operand of a generated query.
type opKind int

const (
	opWord   opKind = iota // an English word, unquoted
	opHan                  // a Chinese string, unquoted
	opPhrase               // a quoted phrase of English words
	opPrefix               // word*
)

type operand struct {
	kind opKind
	text string // as it appears in the query, without quotes, - or *
}

func (o operand) String() string {
	switch o.kind {
	case opPhrase:
		return `"` + o.text + `"`
	case opPrefix:
		return o.text + "*"
	}
	return o.text
}

// oracleQuery is a query as generated: Groups ANDed, the operands of a
// group ORed, Excluded operands excluded.
type oracleQuery struct {
	Groups   [][]operand
	Excluded []operand
	Lang     corpus.Lang
	Company  string
	Year     int
	Section  corpus.Section
}

func (q oracleQuery) text() string {
	var parts []string
	for _, g := range q.Groups {
		var ors []string
		for _, o := range g {
			ors = append(ors, o.String())
		}
		parts = append(parts, strings.Join(ors, " OR "))
	}
	for _, o := range q.Excluded {
		parts = append(parts, "-"+o.String())
	}
	return strings.Join(parts, " ")
}

func (q oracleQuery) query() index.Query {
	iq := index.Query{Text: q.text(), Lang: q.Lang}
	if q.Company != "" {
		iq.Companies = []string{q.Company}
	}
	if q.Year != 0 {
		iq.Years = []int{q.Year}
	}
	if q.Section != "" {
		iq.Sections = []corpus.Section{q.Section}
	}
	return iq
}

// oraclePassage is a passage as the naive scan reads it.
type oraclePassage struct {
	p        corpus.Passage
	zhFolded string
	enWords  []string // exact English words in order
	enStems  map[string]bool
	zhWords  []string // segmented words in order
	zhSet    map[string]bool
	entEN    map[string]bool
	entZH    map[string]bool
}

// oracle is the naive scan of one corpus.
type oracle struct {
	fx       *corpusFixture
	gaz      *corpus.Gazetteer
	ps       []oraclePassage
	enVocab  []string // every English word of the corpus, sorted
	zhVocab  []string // every segmented word of the corpus, sorted
	simpTrad map[rune][]rune
}

var oracles sync.Map // *corpusFixture → *oracle

func newOracle(t testing.TB, fx *corpusFixture) *oracle {
	t.Helper()
	if o, ok := oracles.Load(fx); ok {
		return o.(*oracle)
	}
	gaz := fx.ix.Gazetteer()
	o := &oracle{fx: fx, gaz: gaz, simpTrad: map[rune][]rune{}}
	enVocab, zhVocab := map[string]bool{}, map[string]bool{}
	for _, p := range fx.passages {
		en, zh := index.SearchText(&p, corpus.English), index.SearchText(&p, corpus.Chinese)
		op := oraclePassage{p: p, zhFolded: corpus.Fold(zh), enStems: map[string]bool{}, zhSet: map[string]bool{}, entEN: map[string]bool{}, entZH: map[string]bool{}}
		op.enWords = fx.ix.TermsOf("en", en)
		for _, w := range op.enWords {
			op.enStems[index.Stem(w)] = true
			enVocab[w] = true
		}
		op.zhWords = fx.ix.TermsOf("zh", zh)
		for _, w := range op.zhWords {
			op.zhSet[w] = true
			zhVocab[w] = true
		}
		for _, e := range fx.ix.NamedEntities(p.Text.EN, p.Entities) {
			op.entEN[e] = true
		}
		for _, e := range fx.ix.NamedEntities(p.Text.ZH, p.Entities) {
			op.entZH[e] = true
		}
		o.ps = append(o.ps, op)
	}
	for w := range enVocab {
		o.enVocab = append(o.enVocab, w)
	}
	for w := range zhVocab {
		o.zhVocab = append(o.zhVocab, w)
	}
	sort.Strings(o.enVocab)
	sort.Strings(o.zhVocab)
	// Traditional forms: every character Fold changes, by what it becomes.
	for r := rune(0x3400); r <= 0x9FFF; r++ {
		if f := []rune(corpus.Fold(string(r))); len(f) == 1 && f[0] != r && unicode.Is(unicode.Han, f[0]) {
			o.simpTrad[f[0]] = append(o.simpTrad[f[0]], r)
		}
	}
	oracles.Store(fx, o)
	return o
}

// entities returns the entities an operand names, as the query parser
// looks them up.
func (o *oracle) entities(op operand) []string {
	if op.kind == opPrefix {
		return nil
	}
	t := op.text
	if op.kind == opHan {
		t = strings.TrimFunc(t, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	}
	var out []string
	for _, e := range o.gaz.Lookup(t) {
		out = append(out, e.Name)
	}
	return out
}

// expansions are the words a prefix stands for: the first
// index.MaxExpansions words of the searched sides that begin with it.
func (o *oracle) expansions(prefix string, lang corpus.Lang) map[string]bool {
	set := map[string]bool{}
	add := func(vocab []string) {
		i := sort.SearchStrings(vocab, prefix)
		for n := 0; i < len(vocab) && strings.HasPrefix(vocab[i], prefix) && n <= index.MaxExpansions; i, n = i+1, n+1 {
			set[vocab[i]] = true
		}
	}
	if lang != corpus.Chinese {
		add(o.enVocab)
	}
	if lang != corpus.English {
		add(o.zhVocab)
	}
	ws := make([]string, 0, len(set))
	for w := range set {
		ws = append(ws, w)
	}
	sort.Strings(ws)
	out := map[string]bool{}
	for _, w := range ws[:min(len(ws), index.MaxExpansions)] {
		out[w] = true
	}
	return out
}

// consecutive reports whether seq stands in words at consecutive places.
func consecutive(words, seq []string) bool {
	if len(seq) == 0 {
		return false
	}
	for i := 0; i+len(seq) <= len(words); i++ {
		if slices.Equal(words[i:i+len(seq)], seq) {
			return true
		}
	}
	return false
}

func hanRunsFolded(s string) []string { return corpus.HanRuns(corpus.Fold(s)) }

// prepared is an operand analysed once for a scan.
type prepared struct {
	op       operand
	ents     []string
	han      bool     // matched as Chinese text
	runs     []string // folded Han runs
	enWords  []string
	zhWords  []string
	zhNonHan []string
	exp      map[string]bool // a prefix's words
}

func (o *oracle) prepare(op operand, lang corpus.Lang) prepared {
	pr := prepared{op: op, ents: o.entities(op)}
	pr.han = op.kind == opHan || (op.kind == opPhrase && len(corpus.HanRuns(op.text)) > 0)
	pr.runs = hanRunsFolded(op.text)
	pr.enWords = o.fx.ix.TermsOf("en", op.text)
	pr.zhWords = o.fx.ix.TermsOf("zh", op.text)
	for _, w := range pr.zhWords {
		if len(corpus.HanRuns(w)) == 0 {
			pr.zhNonHan = append(pr.zhNonHan, w)
		}
	}
	if op.kind == opPrefix {
		pr.exp = o.expansions(strings.ToLower(op.text), lang)
	}
	return pr
}

// matches reports whether pr matches passage p on the sides lang allows.
func (o *oracle) matches(p *oraclePassage, pr *prepared, lang corpus.Lang) bool {
	enSide, zhSide := lang != corpus.Chinese, lang != corpus.English
	for _, e := range pr.ents {
		if (enSide && p.entEN[e]) || (zhSide && p.entZH[e]) {
			return true
		}
	}
	switch {
	case pr.han:
		if !zhSide {
			return false
		}
		for _, run := range pr.runs {
			if !strings.Contains(p.zhFolded, run) {
				return false
			}
		}
		for _, w := range pr.zhNonHan {
			if !p.zhSet[w] {
				return false
			}
		}
		return true
	case pr.op.kind == opWord:
		if enSide && len(pr.enWords) > 0 {
			all := true
			for _, w := range pr.enWords {
				all = all && p.enStems[index.Stem(w)]
			}
			if all {
				return true
			}
		}
		if zhSide && len(pr.zhWords) > 0 {
			all := true
			for _, w := range pr.zhWords {
				all = all && p.zhSet[w]
			}
			if all {
				return true
			}
		}
		return false
	case pr.op.kind == opPhrase:
		return (enSide && consecutive(p.enWords, pr.enWords)) || (zhSide && consecutive(p.zhWords, pr.zhWords))
	case pr.op.kind == opPrefix:
		if enSide {
			for _, w := range p.enWords {
				if pr.exp[w] {
					return true
				}
			}
		}
		if zhSide {
			for _, w := range p.zhWords {
				if pr.exp[w] {
					return true
				}
			}
		}
	}
	return false
}

// isStop reports whether every operand of g is a stop word.
func (o *oracle) isStop(g []operand) bool {
	for _, op := range g {
		switch op.kind {
		case opWord:
			ws := o.fx.ix.TermsOf("en", op.text)
			if len(ws) == 0 {
				return false
			}
			for _, w := range ws {
				if !index.StopWords[w] {
					return false
				}
			}
		case opHan:
			if !index.QueryStop[corpus.Fold(op.text)] {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// hits returns the ids of the passages q matches.
func (o *oracle) hits(q oracleQuery) map[string]bool {
	var groups [][]prepared
	gating := false
	for _, g := range q.Groups {
		if o.isStop(g) {
			continue
		}
		gating = true
	}
	for _, g := range q.Groups {
		if gating && o.isStop(g) {
			continue // scores, does not gate
		}
		var pg []prepared
		for _, op := range g {
			pg = append(pg, o.prepare(op, q.Lang))
		}
		groups = append(groups, pg)
	}
	var excluded []prepared
	for _, op := range q.Excluded {
		excluded = append(excluded, o.prepare(op, q.Lang))
	}
	out := map[string]bool{}
	for i := range o.ps {
		p := &o.ps[i]
		if q.Company != "" && !slices.Contains(p.p.Companies, q.Company) ||
			q.Year != 0 && !slices.Contains(p.p.Years, q.Year) ||
			q.Section != "" && p.p.Section != q.Section {
			continue
		}
		ok := true
		for _, g := range groups {
			any := false
			for j := range g {
				any = any || o.matches(p, &g[j], q.Lang)
			}
			if !any {
				ok = false
				break
			}
		}
		for j := range excluded {
			if ok && o.matches(p, &excluded[j], q.Lang) {
				ok = false
			}
		}
		if ok {
			out[p.p.ID] = true
		}
	}
	return out
}

var stopSample = []string{"the", "of", "and", "to", "in", "a", "is", "that", "for", "on"}

// operand draws one operand from the passages.
func (o *oracle) operand(r *rand.Rand) (operand, bool) {
	p := &o.ps[r.IntN(len(o.ps))]
	switch k := r.IntN(10); {
	case k < 2: // an English word, sometimes in capitals
		ws := letterWords(p.enWords)
		if len(ws) == 0 {
			return operand{}, false
		}
		w := ws[r.IntN(len(ws))]
		if r.IntN(4) == 0 {
			w = strings.ToUpper(w[:1]) + w[1:]
		}
		return operand{opWord, w}, true
	case k < 3:
		return operand{opWord, stopSample[r.IntN(len(stopSample))]}, true
	case k < 6: // a Chinese string of 1–6 characters, sometimes traditional
		runs := corpus.HanRuns(p.p.Text.ZH)
		if len(runs) == 0 {
			return operand{}, false
		}
		run := []rune(runs[r.IntN(len(runs))])
		n := 1 + r.IntN(min(6, len(run)))
		i := r.IntN(len(run) - n + 1)
		s := slices.Clone(run[i : i+n])
		if r.IntN(3) == 0 {
			for j, c := range s {
				if ts := o.simpTrad[c]; len(ts) > 0 {
					s[j] = ts[r.IntN(len(ts))]
				}
			}
		}
		return operand{opHan, string(s)}, true
	case k < 8: // a phrase of 2–4 English words as written, stop words too
		if len(p.enWords) < 2 {
			return operand{}, false
		}
		n := 2 + r.IntN(min(3, len(p.enWords)-1))
		i := r.IntN(len(p.enWords) - n + 1)
		seq := p.enWords[i : i+n]
		text := strings.Join(seq, " ")
		if !slices.Equal(o.fx.ix.TermsOf("en", text), seq) || strings.ContainsAny(text, `"“”「」`) {
			return operand{}, false
		}
		return operand{opPhrase, text}, true
	default: // a prefix of 2–4 letters of a word
		ws := letterWords(p.enWords)
		if len(ws) == 0 {
			return operand{}, false
		}
		w := []rune(ws[r.IntN(len(ws))])
		if len(w) < 2 {
			return operand{}, false
		}
		return operand{opPrefix, string(w[:2+r.IntN(min(3, len(w)-1))])}, true
	}
}

func letterWords(ws []string) []string {
	var out []string
	for _, w := range ws {
		if strings.IndexFunc(w, func(r rune) bool { return r < 'a' || r > 'z' }) < 0 {
			out = append(out, w)
		}
	}
	return out
}

// query draws a query of 1–3 groups (some with OR), sometimes with an
// exclusion, a side or a filter. ok is false for a query the generator
// cannot state plainly: unquoted words in a row that name an entity
// are one operand to the parser.
func (o *oracle) query(r *rand.Rand) (oracleQuery, bool) {
	var q oracleQuery
	draw := func() operand {
		for {
			if op, ok := o.operand(r); ok {
				return op
			}
		}
	}
	for range 1 + r.IntN(3) {
		g := []operand{draw()}
		if r.IntN(4) == 0 {
			g = append(g, draw())
		}
		q.Groups = append(q.Groups, g)
	}
	if r.IntN(4) == 0 {
		q.Excluded = append(q.Excluded, draw())
	}
	switch r.IntN(6) {
	case 0:
		q.Lang = corpus.English
	case 1:
		q.Lang = corpus.Chinese
	}
	if r.IntN(5) == 0 {
		p := o.ps[r.IntN(len(o.ps))].p
		switch {
		case len(p.Companies) > 0 && r.IntN(2) == 0:
			q.Company = p.Companies[r.IntN(len(p.Companies))]
		case len(p.Years) > 0 && r.IntN(2) == 0:
			q.Year = p.Years[r.IntN(len(p.Years))]
		default:
			q.Section = p.Section
		}
	}
	// Plain words side by side: the parser takes a run that names an
	// entity as one operand.
	type lexeme struct {
		text  string
		plain bool
	}
	var lx []lexeme
	for _, g := range q.Groups {
		for j, op := range g {
			if j > 0 {
				lx = append(lx, lexeme{"OR", false})
			}
			lx = append(lx, lexeme{op.text, op.kind == opWord})
		}
	}
	for i := range lx {
		var run []string
		for j := i; j < len(lx) && j < i+4 && lx[j].plain; j++ {
			run = append(run, lx[j].text)
			if len(run) > 1 && len(o.gaz.Lookup(strings.Join(run, " "))) > 0 {
				return q, false
			}
		}
	}
	return q, true
}

// checkOracle runs n generated queries from seed against fx and reports
// every difference with the seed that reproduces it.
func checkOracle(t *testing.T, fx *corpusFixture, seed uint64, n int) {
	t.Helper()
	o := newOracle(t, fx)
	r := rand.New(rand.NewPCG(seed, 0))
	failures := 0
	for i := 0; i < n; i++ {
		q, ok := o.query(r)
		if !ok {
			i--
			continue
		}
		want := o.hits(q)
		got, err := fx.ix.HitIDs(t.Context(), q.query())
		if err != nil {
			t.Fatalf("seed %d: %s: Search(%q): %v", seed, fx.name, q.text(), err)
		}
		res, err := fx.ix.Search(t.Context(), q.query())
		if err != nil {
			t.Fatalf("seed %d: %s: Search(%q): %v", seed, fx.name, q.text(), err)
		}
		if missing, extra := diffSets(want, got); len(missing) > 0 || len(extra) > 0 || res.Total != len(want) {
			t.Errorf("seed %d, query %d: %s: Search(%+v): %d hits (total %d), oracle %d; missing %v, extra %v",
				seed, i, fx.name, q.query(), len(got), res.Total, len(want), sample(missing), sample(extra))
			if failures++; failures == 5 {
				t.Fatalf("seed %d: stopping after 5 differences (rerun with -oracle.seed=%d)", seed, seed)
			}
		}
	}
}

func diffSets(want, got map[string]bool) (missing, extra []string) {
	for id := range want {
		if !got[id] {
			missing = append(missing, id)
		}
	}
	for id := range got {
		if !want[id] {
			extra = append(extra, id)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	return missing, extra
}

func sample(ids []string) string {
	if len(ids) > 5 {
		return fmt.Sprintf("%v and %d more", ids[:5], len(ids)-5)
	}
	return fmt.Sprint(ids)
}

// TestSearchMatchesOracle compares search with the naive scan on random
// queries over the essay and over a generated corpus of genPassages
// passages. A failure prints its seed; -oracle.seed=N runs that one again.
func TestSearchMatchesOracle(t *testing.T) {
	seeds := []uint64{1, 2, 3}
	if *oracleSeed != 0 {
		seeds = []uint64{*oracleSeed}
	}
	for _, fx := range fixtures(t) {
		t.Run(fx.name, func(t *testing.T) {
			n := 150
			if testing.Short() || raceEnabled {
				// The race detector makes each search ~10× slower; the
				// queries still cover every kind of operand.
				n = 30
			}
			for _, seed := range seeds {
				checkOracle(t, fx, seed, n)
			}
		})
	}
}

// FuzzSearchMatchesOracle is TestSearchMatchesOracle with seeds chosen by
// the fuzzer, on the essay.
func FuzzSearchMatchesOracle(f *testing.F) {
	for _, s := range []uint64{1, 42, 12345} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, seed uint64) {
		fx, err := essayFixture()
		if err != nil {
			t.Fatal(err)
		}
		checkOracle(t, fx, seed, 3)
	})
}

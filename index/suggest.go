package index

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/corpus-dev/corpus/corpus"
)

// Suggestions complete what a user is typing with the corpus's own words and
// entities: the entities of the gazetteer that its passages name, by any of
// their names in either script, and the words of the index's term
// dictionaries that begin with what was typed. "Did you mean" looks for the
// same within a small edit distance of a word that finds nothing.

// Limits of a suggestion request.
const (
	MaxSuggestions   = 10
	maxPrefixBytes   = 64
	maxDictScan      = 5000 // dictionary terms read for one prefix
	maxCorrectedWord = 40   // runes of a word "did you mean" looks at
	// maxCorrections bounds the words "did you mean" looks near: each
	// walks a dictionary, and a query of hundreds of made-up words
	// would walk it hundreds of times.
	maxCorrections = 8
	// maxSuggestionBytes bounds a word offered, so an answer stays small
	// (the API states it).
	maxSuggestionBytes = 64
)

// Suggestion is a word or an entity that completes a prefix.
type Suggestion struct {
	// Text is what goes in the search box, as the corpus writes it: an
	// entity's name in the script typed, or a word.
	Text string
	// Other is an entity's name in the other language ("Huawei" for 华为);
	// "" for a word.
	Other  string
	Lang   corpus.Lang // of Text
	Entity bool
	// Count is how many passages have the word, or name the entity.
	Count int
}

// suggester is what suggestions need of a generation, built once.
type suggester struct {
	keys []entityKey // sorted by key
	ents []suggestEntity
	// possessive maps an entity's Latin name with an "s" run on, folded
	// ("huaweis"), to the entity (possessiveOf); only names that are no
	// English word as well.
	possessive map[string]int
}

// entityKey is one name of an entity, folded for matching.
type entityKey struct {
	key string // lower-cased, simplified, half-width
	ent int    // into suggester.ents
	han bool   // the name is Chinese
}

// suggestEntity is an entity the corpus names, with how often.
type suggestEntity struct {
	name, zh string
	count    int
}

// suggestSlot holds the suggester, built on first use, and the word
// tables, built in the background (startWordTables).
type suggestSlot struct {
	once sync.Once
	s    *suggester
	err  error
	// words are nil until built; wordsErr says why they were not.
	words    atomic.Pointer[wordTables]
	wordsErr atomic.Pointer[error]
	cancel   context.CancelFunc
	done     chan struct{}
	// surfaces remembers surface's answers, which never change in a
	// generation: a term of the English side → the word as written.
	surfaces sync.Map
	nSurface atomic.Int64
	// live remembers the words of prefixes answered live, for the next
	// user who types them: (prefix, n) → []Suggestion.
	live  sync.Map
	nLive atomic.Int64
}

// fold folds s as the index folds text: simplified, half-width, lower case.
func fold(s string) string { return strings.ToLower(corpus.Fold(s)) }

// suggesterOf returns ix's suggester: every name of every entity that some
// passage names, with the number of such passages.
func (ix *Index) suggesterOf() (*suggester, error) {
	ix.suggest.once.Do(func() {
		ix.suggest.s, ix.suggest.err = ix.buildSuggester()
	})
	return ix.suggest.s, ix.suggest.err
}

func (ix *Index) buildSuggester() (*suggester, error) {
	r, err := ix.reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	s := &suggester{}
	for _, e := range ix.gaz.Entities() {
		tfr, err := r.TermFieldReader(context.Background(), []byte(e.Name), fieldEntity, false, false, false)
		if err != nil {
			return nil, fmt.Errorf("count %s: %w", e.Name, err)
		}
		n := int(tfr.Count())
		if err := tfr.Close(); err != nil {
			return nil, err
		}
		if n == 0 {
			continue
		}
		s.add(e, n)
	}
	slices.SortFunc(s.keys, func(a, b entityKey) int { return strings.Compare(a.key, b.key) })
	return s, nil
}

// entity returns the suggestion of entity i, in the script of the name
// that matched.
func (s *suggester) entity(i int, han bool) Suggestion {
	e := s.ents[i]
	sg := Suggestion{Text: e.name, Other: e.zh, Lang: corpus.English, Entity: true, Count: e.count}
	if han && e.zh != "" {
		sg.Text, sg.Other, sg.Lang = e.zh, e.name, corpus.Chinese
	}
	return sg
}

// Suggest returns up to n suggestions completing prefix, the word being
// typed: entities first, then words, each by how many passages have them.
// A prefix that is empty, too long or not text suggests nothing.
func (ix *Index) Suggest(ctx context.Context, prefix string, n int) ([]Suggestion, error) {
	prefix = strings.TrimSpace(prefix)
	n = min(max(n, 0), MaxSuggestions)
	if prefix == "" || n == 0 || len(prefix) > maxPrefixBytes || !utf8.ValidString(prefix) {
		return nil, nil
	}
	var out []Suggestion
	err := guard("suggest", func() (err error) { out, err = ix.suggestions(ctx, prefix, n); return err })
	return out, err
}

// entities returns the n most frequent entities with a name beginning
// with key (folded); an entity once, by its name in the script typed.
func (s *suggester) entities(key string, han bool, n int) []Suggestion {
	from := sort.Search(len(s.keys), func(i int) bool { return s.keys[i].key >= key })
	picked := map[int]bool{}
	var ents []Suggestion
	for _, k := range s.keys[from:] {
		if !strings.HasPrefix(k.key, key) {
			break
		}
		if !picked[k.ent] {
			picked[k.ent] = true
			ents = append(ents, s.entity(k.ent, han))
		}
	}
	byCount(ents)
	return ents[:min(len(ents), n)]
}

func (ix *Index) suggestions(ctx context.Context, prefix string, n int) ([]Suggestion, error) {
	s, err := ix.suggesterOf()
	if err != nil {
		return nil, err
	}
	return ix.suggestWith(ctx, s, ix.wordTables(), prefix, n)
}

// suggestWith is suggestions with suggester s and word tables t (nil for
// none).
func (ix *Index) suggestWith(ctx context.Context, s *suggester, t wordTables, prefix string, n int) ([]Suggestion, error) {
	key := fold(prefix)
	han := hasHan(prefix)
	var out []Suggestion
	seen := map[string]bool{}
	add := func(sg Suggestion) {
		if k := fold(sg.Text); !seen[k] {
			seen[k] = true
			out = append(out, sg)
		}
	}

	for _, sg := range s.entities(key, han, n) {
		add(sg)
	}
	// One Latin letter begins too many words to rank them well in a few
	// milliseconds: words are offered from the second letter on.
	if len(out) >= n || !han && utf8.RuneCountInString(key) < 2 {
		return out, nil
	}

	// Words: Chinese from the Chinese side's dictionary, whose terms are
	// words as written (folded); Latin from the English side's, whose
	// terms are words lower-cased, shown as a passage writes them.
	field, lang := fieldZH, corpus.Chinese
	if !han {
		field, lang = fieldEN, corpus.English
	}
	words, ok := t[lang][key]
	type liveKey struct {
		key string
		n   int
	}
	if !ok {
		if w, hit := ix.suggest.live.Load(liveKey{key, n}); hit {
			words, ok = w.([]Suggestion), true
		}
	}
	if !ok {
		r, err := ix.reader()
		if err != nil {
			return nil, err
		}
		defer r.Close()
		top, err := topTerms(ctx, r, field, key, n)
		if err != nil {
			return nil, err
		}
		if words, err = ix.wordSuggestions(ctx, r, field, key, top, n); err != nil {
			return nil, err
		}
		if ix.suggest.nLive.Add(1) <= maxLive {
			ix.suggest.live.Store(liveKey{key, n}, words)
		}
	}
	for _, w := range words {
		if len(out) >= n {
			break
		}
		if e, ok := s.possessiveOf(w); ok {
			w = e
		}
		add(w)
	}
	return out, nil
}

// add adds the entity e, which n passages name.
func (s *suggester) add(e corpus.Entity, n int) {
	se := suggestEntity{name: e.Name, count: n}
	if len(e.ZH) > 0 {
		se.zh = e.ZH[0]
	}
	s.ents = append(s.ents, se)
	ent := len(s.ents) - 1
	seen := map[string]bool{}
	for _, name := range slices.Concat([]string{e.Name}, e.ZH, e.Aliases) {
		k := fold(name)
		if k == "" || seen[k] {
			continue
		}
		seen[k] = true
		s.keys = append(s.keys, entityKey{key: k, ent: ent, han: hasHan(name)})
		// Only a name that is no word too: the gazetteer marks those
		// (Cased "Apple", Ambiguous "Orange", Weak "byte"), whose
		// plurals ("apples", "oranges") are words, not the company.
		if hasHan(name) || slices.Contains(e.Weak, name) || slices.Contains(e.Ambiguous, name) ||
			slices.Contains(e.Cased, name) || name == strings.ToLower(name) || len(k) < 4 {
			continue
		}
		if s.possessive == nil {
			s.possessive = map[string]int{}
		}
		s.possessive[k+"s"] = ent
	}
}

// possessiveOf returns the entity an English word names in the possessive
// written without its apostrophe, as the essay's machine translation writes
// "Huaweis" for "Huawei's" and the gazetteer reads it (corpus.Lookup): no
// user types that form, and the entity's own suggestion finds its passages.
func (s *suggester) possessiveOf(w Suggestion) (Suggestion, bool) {
	if w.Entity || w.Lang != corpus.English {
		return Suggestion{}, false
	}
	ent, ok := s.possessive[fold(w.Text)]
	if !ok {
		return Suggestion{}, false
	}
	return s.entity(ent, false), true
}

// wordSuggestions returns up to n suggestions of the terms top of field
// (ranked), which begin with prefix: a Chinese term as it is, an English
// one as a passage writes it, which must still begin with the prefix.
func (ix *Index) wordSuggestions(ctx context.Context, r bindex.IndexReader, field, prefix string, top []bindex.DictEntry, n int) ([]Suggestion, error) {
	lang := corpus.Chinese
	if field == fieldEN {
		lang = corpus.English
	}
	var out []Suggestion
	for _, w := range top {
		if len(out) >= n {
			break
		}
		text := w.Term
		if field == fieldEN {
			var err error
			if text, err = ix.surfaceOf(ctx, r, w.Term); err != nil {
				return nil, err
			}
			if text == "" || !strings.HasPrefix(fold(text), prefix) {
				continue
			}
		}
		if len(text) > maxSuggestionBytes {
			continue
		}
		out = append(out, Suggestion{Text: text, Lang: lang, Count: int(w.Count)})
	}
	return out, nil
}

// surfaceOf is surface for the English side, remembered.
func (ix *Index) surfaceOf(ctx context.Context, r bindex.IndexReader, term string) (string, error) {
	sl := &ix.suggest
	if w, ok := sl.surfaces.Load(term); ok {
		return w.(string), nil
	}
	w, err := ix.surface(ctx, r, fieldEN, term)
	if err != nil {
		return "", err
	}
	if sl.nSurface.Add(1) <= maxSurfaces {
		sl.surfaces.Store(term, w)
	}
	return w, nil
}

// byCount sorts suggestions by count, then text.
func byCount(ss []Suggestion) {
	slices.SortStableFunc(ss, func(a, b Suggestion) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Text, b.Text)
	})
}

// topTerms returns the 2n most frequent terms of field beginning with
// prefix, most frequent first, reading at most maxDictScan terms: a
// prefix of one letter stops early rather than read a whole dictionary.
func topTerms(ctx context.Context, r bindex.IndexReader, field, prefix string, n int) ([]bindex.DictEntry, error) {
	dict, err := r.FieldDictPrefix(field, []byte(prefix))
	if err != nil {
		return nil, err
	}
	defer dict.Close()
	var top []bindex.DictEntry
	for i := range maxDictScan {
		if i%1024 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		e, err := dict.Next()
		if err != nil {
			return nil, err
		}
		if e == nil {
			break
		}
		top = append(top, *e)
		if len(top) > 4*n {
			sortEntries(top)
			top = top[:2*n]
		}
	}
	sortEntries(top)
	return top[:min(len(top), 2*n)], nil
}

func sortEntries(es []bindex.DictEntry) {
	slices.SortStableFunc(es, func(a, b bindex.DictEntry) int {
		if a.Count != b.Count {
			if a.Count > b.Count {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Term, b.Term)
	})
}

// surfaceDocs is how many passages surface reads a stem's forms from.
const surfaceDocs = 2

// surface returns term of field as the passages that have it write it,
// found by analysing their text again (the index keeps no offsets): the
// English side's terms are stems ("technolog"), which no user types. Of the forms in the first few
// passages the shortest wins (technology, not technological). A capital is
// kept only inside a sentence, where it says the word is a name.
func (ix *Index) surface(ctx context.Context, r bindex.IndexReader, field, term string) (string, error) {
	tfr, err := r.TermFieldReader(ctx, []byte(term), field, false, false, false)
	if err != nil {
		return "", err
	}
	defer tfr.Close()
	best := ""
	for range surfaceDocs {
		var tfd bindex.TermFieldDoc
		d, err := tfr.Next(&tfd)
		if err != nil {
			return "", err
		}
		if d == nil {
			break
		}
		p, err := ix.storedPassage(d.ID)
		if err != nil {
			return "", err
		}
		text := searchText(&p, corpus.English)
		toks := ix.analyze(fieldAnalyzer[field], text)
		i := slices.IndexFunc(toks, func(tk *analysis.Token) bool { return string(tk.Term) == term })
		if i < 0 {
			continue
		}
		tk := toks[i]
		if tk.End > len(text) || tk.Start >= tk.End {
			continue
		}
		w := strings.TrimSuffix(strings.TrimSuffix(text[tk.Start:tk.End], "'s"), "’s")
		before := strings.TrimRight(text[:tk.Start], " \t\"“‘(")
		if before == "" || strings.ContainsAny(before[len(before)-1:], ".!?:\n") {
			w = strings.ToLower(w) // a capital that may only start a sentence
		}
		if best == "" || len(w) < len(best) {
			best = w
		}
	}
	return best, nil
}

// DidYouMean returns text with each word that finds nothing replaced by
// the nearest entity name or word of the corpus (within an edit distance of
// 1 for a word of up to 4 letters, else 2); "" when no word changed. A
// query with syntax (quotes, OR, exclusions) is left alone.
func (ix *Index) DidYouMean(ctx context.Context, text string) (string, error) {
	if len(text) > MaxQueryBytes || strings.ContainsAny(text, `"-()`) || strings.Contains(text, " OR ") {
		return "", nil
	}
	var out string
	err := guard("did you mean", func() (err error) { out, err = ix.didYouMean(ctx, text); return err })
	return out, err
}

func (ix *Index) didYouMean(ctx context.Context, text string) (string, error) {
	s, err := ix.suggesterOf()
	if err != nil {
		return "", err
	}
	r, err := ix.reader()
	if err != nil {
		return "", err
	}
	defer r.Close()
	words := strings.Fields(text)
	changed := false
	looked := 0
	for i, w := range words {
		if utf8.RuneCountInString(w) > maxCorrectedWord || hasHan(w) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return "", err
		}
		found, err := ix.finds(ctx, r, w)
		if err != nil {
			return "", err
		}
		if found || looked == maxCorrections {
			continue
		}
		looked++
		if c, err := ix.nearest(ctx, r, s, w); err != nil {
			return "", err
		} else if c != "" {
			words[i], changed = c, true
		}
	}
	if !changed {
		return "", nil
	}
	return strings.Join(words, " "), nil
}

// finds reports whether a word of the query finds a passage: as an
// entity's name or as a term of either side.
func (ix *Index) finds(ctx context.Context, r bindex.IndexReader, w string) (bool, error) {
	if len(ix.gaz.Lookup(w)) > 0 {
		return true, nil
	}
	for _, f := range []string{fieldEN, fieldZH} {
		for _, tk := range ix.analyze(fieldAnalyzer[f], w) {
			tfr, err := r.TermFieldReader(ctx, tk.Term, f, false, false, false)
			if err != nil {
				return false, err
			}
			n := tfr.Count()
			if err := tfr.Close(); err != nil {
				return false, err
			}
			if n > 0 {
				return true, nil
			}
		}
	}
	// A stop word has no term and is not required by a search.
	return len(ix.analyze(enAnalyzerName, w)) == 0, nil
}

// nearest returns the entity name or English word nearest to w within the
// allowed distance, "" if none: the nearest first, then the most frequent.
func (ix *Index) nearest(ctx context.Context, r bindex.IndexReader, s *suggester, w string) (string, error) {
	key := fold(w)
	limit := 2
	if utf8.RuneCountInString(key) <= 4 {
		limit = 1
	}
	best, bestDist, bestCount := "", limit+1, 0
	consider := func(text string, d, count int) {
		if d < bestDist || d == bestDist && count > bestCount {
			best, bestDist, bestCount = text, d, count
		}
	}
	for _, k := range s.keys {
		if k.han || abs(utf8.RuneCountInString(k.key)-utf8.RuneCountInString(key)) > limit {
			continue
		}
		if d := editDistance(key, k.key, limit); d <= limit {
			consider(s.ents[k.ent].name, d, s.ents[k.ent].count)
		}
	}
	if best != "" {
		return best, nil
	}
	// The English side's terms are stems: look near the word's stem, and
	// show the nearest stem as a passage writes it.
	for _, tk := range ix.analyze(enAnalyzerName, w) {
		fz, ok := r.(fuzzyReader)
		if !ok {
			return "", nil // an index without fuzzy dictionaries offers no words
		}
		dict, err := fz.FieldDictFuzzy(fieldEN, string(tk.Term), limit, "")
		if err != nil {
			return "", err
		}
		var cands []bindex.DictEntry
		for {
			e, err := dict.Next()
			if err != nil {
				dict.Close()
				return "", err
			}
			if e == nil {
				break
			}
			cands = append(cands, *e)
		}
		if err := dict.Close(); err != nil {
			return "", err
		}
		sortEntries(cands)
		for _, c := range cands {
			d := editDistance(string(tk.Term), c.Term, limit)
			if d == 0 || d > limit || d > bestDist || d == bestDist && int(c.Count) <= bestCount {
				continue
			}
			text, err := ix.surface(ctx, r, fieldEN, c.Term)
			if err != nil {
				return "", err
			}
			if text != "" {
				consider(text, d, int(c.Count))
			}
		}
	}
	return best, nil
}

// fuzzyReader is the part of bleve's IndexReaderFuzzy that nearest reads,
// which storeReader offers for the word index's fields.
type fuzzyReader interface {
	FieldDictFuzzy(field, term string, fuzziness int, prefix string) (bindex.FieldDict, error)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// editDistance is the Levenshtein distance of a and b in runes, or limit+1
// when it is more than limit.
func editDistance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		low := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			low = min(low, cur[j])
		}
		if low > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return min(prev[len(rb)], limit+1)
}

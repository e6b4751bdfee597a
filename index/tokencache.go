package index

import (
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/corpus-dev/corpus/corpus"
)

// DefaultTokenCacheBytes bounds the token cache of each generation unless
// SetTokenCacheBytes says otherwise. A long Chinese passage (2,000
// characters) is about 100 KiB of tokens: 32 MiB keeps a few hundred such,
// or tens of thousands of short ones.
const DefaultTokenCacheBytes = 32 << 20

// tokenCache keeps the analysis of recently highlighted passages.
// Segmenting a hit's Chinese side again for every search was two thirds of
// a search's CPU; a generation never changes, so its passages' tokens can
// be kept. It is bounded in bytes (an estimate of the memory held, see
// analysedSize), not entries: bounded in entries, paging over 6,000 long
// Chinese passages held 1.2 GB. When full it is emptied rather than
// tracked per entry: popular passages come back at once and the
// bookkeeping stays trivial.
type tokenCache struct {
	mu   sync.Mutex
	m    map[tokenKey]*analysed
	size int64 // bytes held, by analysedSize
	max  int64 // bytes; 0 keeps nothing
	set  bool  // max was set (otherwise DefaultTokenCacheBytes)
}

type tokenKey struct {
	id   string
	lang corpus.Lang
}

func (c *tokenCache) get(k tokenKey) (*analysed, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ts, ok := c.m[k]
	return ts, ok
}

func (c *tokenCache) put(k tokenKey, ts *analysed) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := ts.size + int64(len(k.id)) + 64
	if n > c.limitLocked() {
		return
	}
	if c.m == nil || c.size+n > c.limitLocked() {
		c.m = make(map[tokenKey]*analysed)
		c.size = 0
	}
	if old, ok := c.m[k]; ok {
		c.size -= old.size + int64(len(k.id)) + 64
	}
	c.m[k] = ts
	c.size += n
}

func (c *tokenCache) limitLocked() int64 {
	if !c.set {
		return DefaultTokenCacheBytes
	}
	return c.max
}

// setMax changes the budget; the cache is emptied if it is over it.
func (c *tokenCache) setMax(n int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.max, c.set = max(n, 0), true
	if c.size > c.max {
		c.m, c.size = nil, 0
	}
}

// bytes returns the bytes held and the budget.
func (c *tokenCache) bytes() (held, limit int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size, c.limitLocked()
}

// analysed is one side of a passage as the highlighter needs it: its
// tokens, its names, or both, each found when first asked for.
type analysed struct {
	tokens   analysis.TokenStream
	mentions []corpus.Mention
	size     int64 // analysedSize
	// hasTokens: the side was segmented (passageAnalysis); hasNames: it
	// was searched for names (passageMentions). What is not had is empty
	// whatever the text.
	hasTokens, hasNames bool
}

// analysedSize estimates the memory a's tokens and mentions hold: per
// token the pointer, the Token struct (64 bytes on 64-bit) and its term;
// per mention its struct and name (names are shared with the gazetteer,
// counted anyway).
func analysedSize(a *analysed) int64 {
	n := int64(64)
	for _, t := range a.tokens {
		n += 8 + 64 + int64(cap(t.Term))
	}
	for _, m := range a.mentions {
		n += 40 + int64(len(m.Entity))
	}
	return n
}

// passageAnalysis returns the tokens of one side of a stored passage,
// with its names if they were found before. They are shared: callers must
// not modify them.
func (ix *Index) passageAnalysis(id string, lang corpus.Lang, text string) *analysed {
	return ix.keptSide(tokenKey{id, lang}, func(a *analysed) bool { return a.hasTokens }, func(a *analysed) {
		a.tokens, a.hasTokens = ix.analyze(sideAnalyzer[lang], text), true
	})
}

// passageMentions returns the names one side of a stored passage mentions:
// those kept, else found afresh and kept beside its tokens, if kept. A
// search that marks no names does not look for them: the gazetteer's scan
// costs about as much as segmenting the side.
func (ix *Index) passageMentions(id string, lang corpus.Lang, text string) []corpus.Mention {
	return ix.keptSide(tokenKey{id, lang}, func(a *analysed) bool { return a.hasNames }, func(a *analysed) {
		a.mentions, a.hasNames = ix.gaz.Find(text), true
	}).mentions
}

// keptSide returns the kept analysis of side k if has says it holds what
// the caller needs, else a copy of it (or a new one) that fill completes,
// kept in its place. Kept analyses are never changed: searches share them.
func (ix *Index) keptSide(k tokenKey, has func(*analysed) bool, fill func(*analysed)) *analysed {
	a, ok := ix.tokens.get(k)
	if ok && has(a) {
		return a
	}
	b := &analysed{}
	if ok {
		*b = *a
	}
	fill(b)
	b.size = analysedSize(b)
	ix.tokens.put(k, b)
	return b
}

// analysisKept reports whether the tokens of the passage's side are kept:
// reading them costs less than deciding whether they are needed.
func (ix *Index) analysisKept(id string, lang corpus.Lang) bool {
	a, ok := ix.tokens.get(tokenKey{id, lang})
	return ok && a.hasTokens
}

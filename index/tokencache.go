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

// analysed is one side of a passage as the highlighter needs it.
type analysed struct {
	tokens   analysis.TokenStream
	mentions []corpus.Mention
	size     int64 // analysedSize
	// namesOnly: the side was searched for names, not segmented
	// (passageMentions); tokens is empty whatever the text.
	namesOnly bool
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

// passageAnalysis returns the tokens and entity mentions of one side of a
// stored passage. They are shared: callers must not modify them.
func (ix *Index) passageAnalysis(id string, lang corpus.Lang, text string) *analysed {
	k := tokenKey{id, lang}
	a, ok := ix.tokens.get(k)
	if ok && !a.namesOnly {
		return a
	}
	var mentions []corpus.Mention
	if ok {
		mentions = a.mentions
	} else {
		mentions = ix.gaz.Find(text)
	}
	a = &analysed{tokens: ix.analyze(sideAnalyzer[lang], text), mentions: mentions}
	a.size = analysedSize(a)
	ix.tokens.put(k, a)
	return a
}

// passageMentions returns the names text mentions: from what is kept of
// the passage's side, else found afresh and kept without its tokens.
func (ix *Index) passageMentions(id string, lang corpus.Lang, text string) []corpus.Mention {
	k := tokenKey{id, lang}
	if a, ok := ix.tokens.get(k); ok {
		return a.mentions
	}
	a := &analysed{mentions: ix.gaz.Find(text), namesOnly: true}
	a.size = analysedSize(a)
	ix.tokens.put(k, a)
	return a.mentions
}

// analysisKept reports whether the tokens of the passage's side are kept:
// reading them costs less than deciding whether they are needed.
func (ix *Index) analysisKept(id string, lang corpus.Lang) bool {
	a, ok := ix.tokens.get(tokenKey{id, lang})
	return ok && !a.namesOnly
}

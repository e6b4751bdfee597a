package index

import (
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/corpus-dev/corpus/corpus"
)

// maxCachedPassages bounds the token cache: about 10k passages of a few
// hundred tokens each, tens of MiB at most.
const maxCachedPassages = 10000

// tokenCache keeps the analysis of recently highlighted passages.
// Segmenting a hit's Chinese side again for every search was two thirds of
// a search's CPU; a generation never changes, so its passages' tokens can
// be kept. When full the cache is emptied rather than tracked per entry:
// popular passages come back at once and the bookkeeping stays trivial.
type tokenCache struct {
	mu sync.Mutex
	m  map[tokenKey]*analysed
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
	if c.m == nil || len(c.m) >= maxCachedPassages {
		c.m = make(map[tokenKey]*analysed)
	}
	c.m[k] = ts
}

// analysed is one side of a passage as the highlighter needs it.
type analysed struct {
	tokens   analysis.TokenStream
	mentions []corpus.Mention
}

// passageAnalysis returns the tokens and entity mentions of one side of a
// stored passage. They are shared: callers must not modify them.
func (ix *Index) passageAnalysis(id string, lang corpus.Lang, text string) *analysed {
	k := tokenKey{id, lang}
	if a, ok := ix.tokens.get(k); ok {
		return a
	}
	a := &analysed{tokens: ix.analyze(sideAnalyzer[lang], text), mentions: ix.gaz.Find(text)}
	ix.tokens.put(k, a)
	return a
}

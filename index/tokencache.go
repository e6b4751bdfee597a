package index

import (
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/corpus-dev/corpus/corpus"
)

// maxCachedPassages bounds the token cache: about 10k passages of a few
// hundred tokens each, tens of MiB at most.
const maxCachedPassages = 10000

// tokenCache keeps the analysed tokens of recently highlighted passages.
// Segmenting a hit's Chinese side again for every search was two thirds of
// a search's CPU; a generation never changes, so its passages' tokens can
// be kept. When full the cache is emptied rather than tracked per entry:
// popular passages come back at once and the bookkeeping stays trivial.
type tokenCache struct {
	mu sync.Mutex
	m  map[tokenKey]analysis.TokenStream
}

type tokenKey struct {
	id   string
	lang corpus.Lang
}

func (c *tokenCache) get(k tokenKey) (analysis.TokenStream, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ts, ok := c.m[k]
	return ts, ok
}

func (c *tokenCache) put(k tokenKey, ts analysis.TokenStream) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxCachedPassages {
		c.m = make(map[tokenKey]analysis.TokenStream)
	}
	c.m[k] = ts
}

// passageTokens returns the tokens of one side of a stored passage. The
// streams are shared: callers must not modify them.
func (ix *Index) passageTokens(id string, lang corpus.Lang, text string) analysis.TokenStream {
	k := tokenKey{id, lang}
	if ts, ok := ix.tokens.get(k); ok {
		return ts
	}
	ts := ix.analyze(sideAnalyzer[lang], text)
	ix.tokens.put(k, ts)
	return ts
}

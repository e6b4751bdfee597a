package index

import (
	"context"
	"fmt"
	"slices"
	"sort"

	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/corpus-dev/corpus/corpus"
)

// wordTables hold the best words of each prefix that begins more than
// liveTerms terms of a side's dictionary, ranked once per generation, in
// the background after Open: enumerating thousands of terms and finding
// how passages write them took up to 50 ms a keystroke on 100k passages.
// Other prefixes, and all of them until the tables are ready, are answered
// from the dictionary as they are typed; with the tables that reads at most
// liveTerms terms (for prefixes of up to maxTableRunes runes).
type wordTables map[corpus.Lang]map[string][]Suggestion

// Bounds of the word tables.
const (
	liveTerms     = 16 // terms a prefix answered live may begin
	maxTableRunes = 8  // longer prefixes are answered live
	maxSurfaces   = 1 << 16
	maxLive       = 1 << 16 // prefixes answered live remembered
)

// startWordTables ranks the words of busy prefixes in the background, once
// the index has warmed up (warmup); Close stops it (stopWordTables).
// Suggestions do not wait for it.
func (ix *Index) startWordTables() {
	ctx, cancel := context.WithCancel(context.Background())
	ix.suggest.cancel, ix.suggest.done = cancel, make(chan struct{})
	go func() {
		defer close(ix.suggest.done)
		if !ix.warm.wait(ctx) {
			return
		}
		var t wordTables
		err := guard("rank the words of busy prefixes", func() (err error) { t, err = ix.buildWordTables(ctx, liveTerms); return err })
		if err != nil {
			ix.suggest.wordsErr.Store(&err)
			return
		}
		ix.suggest.words.Store(&t)
	}()
}

// stopWordTables stops the building of the word tables and waits for it.
func (ix *Index) stopWordTables() {
	if ix.suggest.cancel != nil {
		ix.suggest.cancel()
		<-ix.suggest.done
	}
}

// WaitSuggestions waits until the words of busy prefixes are ranked, which
// Open starts in the background (a second or so of CPU per 100k passages):
// until then Suggest reads them from the index's dictionary on each call,
// which takes longer. It returns why they could not be ranked, if they
// could not, or ctx's error.
func (ix *Index) WaitSuggestions(ctx context.Context) error {
	if ix.suggest.done == nil {
		return nil
	}
	ix.warm.release()
	select {
	case <-ix.suggest.done:
	case <-ctx.Done():
		return ctx.Err()
	}
	if err := ix.suggest.wordsErr.Load(); err != nil {
		return *err
	}
	return nil
}

// wordTables returns the word tables, nil until they are built.
func (ix *Index) wordTables() wordTables {
	if t := ix.suggest.words.Load(); t != nil {
		return *t
	}
	return nil
}

// buildWordTables ranks the words of each prefix that begins more than live
// terms of a side's dictionary.
func (ix *Index) buildWordTables(ctx context.Context, live int) (wordTables, error) {
	r, err := ix.reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	t := wordTables{}
	for _, f := range []struct {
		field string
		lang  corpus.Lang
	}{{fieldEN, corpus.English}, {fieldZH, corpus.Chinese}} {
		tops, err := busyPrefixes(ctx, r, f.field, live)
		if err != nil {
			return nil, fmt.Errorf("rank the words of %s: %w", f.field, err)
		}
		words := make(map[string][]Suggestion, len(tops))
		for prefix, top := range tops {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if words[prefix], err = ix.wordSuggestions(ctx, r, f.field, prefix, top, MaxSuggestions); err != nil {
				return nil, err
			}
		}
		t[f.lang] = words
	}
	return t, nil
}

// busyPrefixes returns the prefixes of up to maxTableRunes runes that begin
// more than live terms of field, each with its 2·MaxSuggestions most
// frequent terms, most frequent first. It reads the dictionary once, in
// order, where the terms of a prefix come one after another.
func busyPrefixes(ctx context.Context, r bindex.IndexReader, field string, live int) (map[string][]bindex.DictEntry, error) {
	dict, err := r.FieldDict(field)
	if err != nil {
		return nil, err
	}
	defer dict.Close()
	type level struct {
		prefix string
		n      int
		top    []bindex.DictEntry
	}
	out := map[string][]bindex.DictEntry{}
	var levels []level // levels[i] is the current prefix of i+1 runes
	flush := func(from int) {
		for _, l := range levels[from:] {
			if l.n > live {
				out[l.prefix] = l.top
			}
		}
		levels = levels[:from]
	}
	keep := 2 * MaxSuggestions
	var ends []int
	for i := 0; ; i++ {
		if i%4096 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		e, err := dict.Next()
		if err != nil {
			return nil, err
		}
		if e == nil {
			break
		}
		term := e.Term
		ends = ends[:0]
		for i := range term {
			if i > 0 {
				ends = append(ends, i)
			}
			if len(ends) == maxTableRunes {
				break
			}
		}
		if len(ends) < maxTableRunes {
			ends = append(ends, len(term))
		}
		k := 0
		for k < len(levels) && k < len(ends) && levels[k].prefix == term[:ends[k]] {
			k++
		}
		flush(k)
		for _, end := range ends[k:] {
			levels = append(levels, level{prefix: term[:end]})
		}
		for i := range levels {
			l := &levels[i]
			l.n++
			if len(l.top) == keep && !entryBefore(*e, l.top[keep-1]) {
				continue
			}
			at := sort.Search(len(l.top), func(j int) bool { return entryBefore(*e, l.top[j]) })
			l.top = slices.Insert(l.top, at, *e)
			if len(l.top) > keep {
				l.top = l.top[:keep]
			}
		}
	}
	flush(0)
	return out, nil
}

// entryBefore orders dictionary entries as suggestions rank words: the
// most frequent first, then by term.
func entryBefore(a, b bindex.DictEntry) bool {
	return a.Count > b.Count || a.Count == b.Count && a.Term < b.Term
}

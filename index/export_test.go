package index

import (
	"context"

	"github.com/blevesearch/bleve/v2"

	"github.com/corpus-dev/corpus/corpus"
)

// What the oracle tests of package index_test (which can import bench,
// itself an importer of index) need from inside.

// SharedTempDir is sharedTempDir: a folder TestMain removes.
var SharedTempDir = sharedTempDir

// SearchText is the text of side lang the index searches: the passage's
// and its variants'.
func SearchText(p *corpus.Passage, lang corpus.Lang) string { return searchText(p, lang) }

// Stem is stem.
var Stem = stem

// StopWords are the English stop words; QueryStop the Chinese ones.
var StopWords, QueryStop = enStopWords, queryStop

// TermsOf returns the terms the analyzer of side lang ("en": exact English
// words, "zh": segmented words) makes of text.
func (ix *Index) TermsOf(lang, text string) []string {
	var out []string
	for _, t := range ix.analyze(sideAnalyzer[corpus.Lang(lang)], text) {
		out = append(out, string(t.Term))
	}
	return out
}

// NamedEntities returns the entities the index records for one side of a
// passage with the tagged entities.
func (ix *Index) NamedEntities(text string, tagged []string) []string {
	return ix.ents.named(text, tagged)
}

// HitIDs returns the ids of every passage q matches, through bleve's
// search of the same query Search builds.
func (ix *Index) HitIDs(ctx context.Context, q Query) (map[string]bool, error) {
	q, err := normalize(q)
	if err != nil {
		return nil, err
	}
	pq, err := parseQuery(q.Text, ix.gaz)
	if err != nil {
		return nil, err
	}
	text, _, err := ix.textQuery(pq, q.Lang)
	if err != nil {
		return nil, err
	}
	req := bleve.NewSearchRequestOptions(filtered(text, q, filterQueries(q), ""), ix.man.Passages+1, 0, false)
	res, err := ix.bi.SearchInContext(ctx, req)
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(res.Hits))
	for _, h := range res.Hits {
		p, err := ix.storedPassage(h.IndexInternalID)
		if err != nil {
			return nil, err
		}
		out[p.ID] = true
	}
	return out, nil
}

// SetDirect turns ix's direct search on or off (setDirect).
func SetDirect(ix *Index, on bool) { ix.setDirect(on) }

// WithBleveText has a build keep the text fields in
// bleve, as format 8 did.
func WithBleveText(o *BuildOptions) { o.bleveText = true }

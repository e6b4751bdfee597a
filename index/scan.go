package index

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/corpus-dev/corpus/corpus"
)

// Scan calls fn with each of the first limit hits of q in order (q's page
// and size are ignored; limit is at most MaxExport), along with the total
// number of matches. It counts no facets. It is what an export or a
// concordance reads: one pass over the matches keeps the best limit of
// them, where paging through Search made one pass per page, each counting
// facets nobody shows (a 10,000-hit export of a frequent word on a million
// passages: 100 passes); and its hits stay out of the result cache, which
// a hundred export pages would flush.
//
// The generation stays open until fn has seen the last hit, so a slow
// reader of an export holds an old generation open after a switch.
func (ix *Index) Scan(ctx context.Context, q Query, limit int, fn func(total int, h Hit) error) error {
	return ix.scan(ctx, q, limit, true, fn)
}

// scan is Scan; without fragments the hits have their Matches but no
// Highlights, which the workbench's counts do not need.
func (ix *Index) scan(ctx context.Context, q Query, limit int, fragments bool, fn func(total int, h Hit) error) error {
	if limit < 1 || limit > MaxExport {
		return fmt.Errorf("%w: at most %d hits can be read at once, not %d", ErrBadQuery, MaxExport, limit)
	}
	q.Page, q.Size = 1, 1
	q, err := normalize(q)
	if err != nil {
		return err
	}
	cq, err := ix.compile(q)
	pq := cq.all
	if err != nil {
		return err
	}
	text := cq.query
	var (
		ps     []corpus.Passage
		scores []float64
		total  int
	)
	err = guard("scan", func() error {
		ctx, cancel := withSearchBudget(ctx)
		defer cancel()
		t, err := ix.passTable(ctx, q)
		if err != nil {
			return err
		}
		if t != nil {
			var pg page
			pg, err = ix.onePass(ctx, t, q, text, passOptionsFor(q, pq.empty(), limit))
			ps, scores, total = pg.passages, pg.scores, pg.total
		} else {
			ps, scores, total, err = ix.scanBleve(ctx, q, pq, text, limit)
		}
		if err != nil {
			return searchError(ctx, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	hl := ix.newHighlighter(cq)
	hl.noFragments = !fragments
	for i, p := range ps {
		if err := fn(total, hl.hit(p, scores[i])); err != nil {
			return err
		}
	}
	return nil
}

// scanBleve is Scan through bleve's own search (a generation of format 10
// or before whose facet table is still being read, or tests): one bleve
// search for the first limit hits, without facets.
func (ix *Index) scanBleve(ctx context.Context, q Query, pq parsed, text query.Query, limit int) ([]corpus.Passage, []float64, int, error) {
	req := bleve.NewSearchRequestOptions(filtered(text, q, filterQueries(q), ""), limit, 0, false)
	req.SortByCustom(sortOrder(q.Sort, pq.empty()))
	res, err := ix.bi.SearchInContext(ctx, req)
	if err != nil {
		return nil, nil, 0, err
	}
	ps := make([]corpus.Passage, 0, len(res.Hits))
	scores := make([]float64, 0, len(res.Hits))
	for _, h := range res.Hits {
		p, err := ix.storedPassage(h.IndexInternalID)
		if err != nil {
			return nil, nil, 0, err
		}
		ps = append(ps, p)
		scores = append(scores, h.Score)
	}
	return ps, scores, int(res.Total), nil
}

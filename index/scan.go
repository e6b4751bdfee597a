package index

import (
	"context"
	"fmt"
)

// Scan calls fn with each of the first limit hits of q in order (q's page
// and size are ignored; limit is at most MaxExport), along with the total
// number of matches. It counts no facets. It is what an export or a
// concordance reads: one pass over the matches keeps the best limit of
// them, where paging through Search made one pass per page, each counting
// facets nobody shows (a 10,000-hit export of a frequent word on a million
// passages: 100 passes); and its hits stay out of the result cache, which
// a hundred export pages would flush.
func (ix *Index) Scan(ctx context.Context, q Query, limit int, fn func(total int, h Hit) error) error {
	if limit < 1 || limit > MaxExport {
		return fmt.Errorf("%w: at most %d hits can be read at once, not %d", ErrBadQuery, MaxExport, limit)
	}
	q.Page, q.Size = 1, 1
	q, err := normalize(q)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, searchTimeout)
	defer cancel()
	pq, err := parseQuery(q.Text, ix.gaz, ix.zhWords)
	if err != nil {
		return err
	}
	var t *table
	if useOnePass && onePassable(q) {
		t = ix.tableReady()
	}
	if t == nil {
		return ix.scanPages(ctx, q, limit, fn)
	}
	ps, scores, total, _, err := ix.onePass(ctx, t, q, ix.textQuery(pq, q.Lang), q.Sort == SortRelevance && !pq.empty(), limit, false)
	if err != nil {
		return searchError(ctx, err)
	}
	hl := ix.newHighlighter(pq)
	for i, p := range ps {
		if err := fn(total, hl.hit(p, scores[i])); err != nil {
			return err
		}
	}
	return nil
}

// scanPages is Scan for the searches onePass cannot answer (the year
// orders, or a generation whose facet table is still being read): pages
// of MaxSize through the uncached search.
func (ix *Index) scanPages(ctx context.Context, q Query, limit int, fn func(total int, h Hit) error) error {
	q.Page, q.Size = 1, MaxSize
	n := 0
	for {
		res, err := ix.search(ctx, q)
		if err != nil {
			return err
		}
		for _, h := range res.Hits {
			if n == limit {
				return nil
			}
			if err := fn(res.Total, h); err != nil {
				return err
			}
			n++
		}
		if len(res.Hits) < q.Size || n >= res.Total || q.Page >= MaxPage {
			return nil
		}
		q.Page++
	}
}

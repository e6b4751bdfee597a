package index

// The empty query without filters, in reading order, is the corpus
// itself: every passage matches, its hits are the store's records of the
// page asked for, and its facets count every passage's values, which a
// generation counts once, as it counts its passages. It was a pass over
// every passage (a tenth of a second at a million), or an answer kept in
// the browse cache.

// browsable reports whether q, whose words are pq and filters filters, is
// the corpus in reading order.
func browsable(q Query, pq parsed, filters int) bool {
	return pq.empty() && len(pq.Excluded) == 0 && filters == 0 && (q.Sort == SortRelevance || q.Sort == SortPosition)
}

// browsePage answers a browsable q from the table t: the page's passages
// from the store, with the score bleve's match-all query gives, and the
// facets of every passage.
func (ix *Index) browsePage(t *table, q Query) (page, error) {
	n := int(t.n)
	from, to := min((q.Page-1)*q.Size, n), min(q.Page*q.Size, n)
	ps, err := ix.st.passages(from, to)
	if err != nil {
		return page{}, err
	}
	facets, err := t.browseFacets()
	if err != nil {
		ix.noteDamage(err)
		return page{}, err
	}
	pg := page{total: n, facets: facets}
	for _, p := range ps {
		pg.passages, pg.scores = append(pg.passages, p), append(pg.scores, 1)
	}
	return pg, nil
}

// browseFacets returns the facets of every passage, counted the first time
// they are asked for. The caller must not modify them.
func (t *table) browseFacets() (map[string][]FacetValue, error) {
	t.browseOnce.Do(func() {
		fs := map[string][]FacetValue{}
		for name, field := range facetFields {
			c, err := t.column(field)
			if err != nil {
				t.browseErr = err
				return
			}
			fs[name] = termFacet(c, c.valueTotals(t.n), facetSize(name))
		}
		t.browse = fs
	})
	return t.browse, t.browseErr
}

// valueTotals returns how many of the n documents have each value.
func (c *column) valueTotals(n uint64) []int {
	totals := make([]int, len(c.names))
	for d := range n {
		for _, v := range c.of(d) {
			totals[v]++
		}
	}
	return totals
}

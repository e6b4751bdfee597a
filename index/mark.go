package index

import (
	"context"
	"fmt"

	"github.com/corpus-dev/corpus/corpus"
)

// Mark returns where the words of q are in each of the passages ps: passage
// ID → side → spans, as a hit's Matches. It does not search: a page that
// shows a range of a document marks the search's words in the passages it
// shows, whether they are hits or not, at the cost of highlighting those
// passages only (marking through Scan would read every match of the
// document up to the page). Errors as Search's for a bad query.
func (ix *Index) Mark(ctx context.Context, q Query, ps []corpus.Passage) (map[string]map[corpus.Lang][]Span, error) {
	q.Page, q.Size = 1, 1
	q, err := normalize(q)
	if err != nil {
		return nil, err
	}
	cq, err := ix.compile(q)
	if err != nil {
		return nil, err
	}
	out := make(map[string]map[corpus.Lang][]Span, len(ps))
	err = guard("mark", func() error {
		hl := ix.newHighlighter(cq)
		for _, p := range ps {
			if err := ctx.Err(); err != nil {
				return err
			}
			out[p.ID] = hl.hit(p, 0).Matches
		}
		return nil
	})
	return out, err
}

// DocumentInfo returns the metadata of document id and its passage count,
// or corpus.ErrNotFound.
func (ix *Index) DocumentInfo(ctx context.Context, id string) (DocumentInfo, error) {
	r, ok := ix.docs[id]
	if !ok {
		return DocumentInfo{}, notFoundDoc(id)
	}
	return r.info(), nil
}

// Mark is Index.Mark on the live generation.
func (l *Live) Mark(ctx context.Context, q Query, ps []corpus.Passage) (map[string]map[corpus.Lang][]Span, error) {
	h, err := l.acquire()
	if err != nil {
		return nil, err
	}
	defer h.refs.Done()
	return h.ix.Mark(ctx, q, ps)
}

// DocumentInfo is Index.DocumentInfo on the live generation.
func (l *Live) DocumentInfo(ctx context.Context, id string) (DocumentInfo, error) {
	h, err := l.acquire()
	if err != nil {
		return DocumentInfo{}, err
	}
	defer h.refs.Done()
	return h.ix.DocumentInfo(ctx, id)
}

// DocumentPassages is Index.DocumentPassages on the live generation.
func (l *Live) DocumentPassages(ctx context.Context, id string, from, to int) ([]corpus.Passage, error) {
	h, err := l.acquire()
	if err != nil {
		return nil, err
	}
	defer h.refs.Done()
	return h.ix.DocumentPassages(ctx, id, from, to)
}

func notFoundDoc(id string) error { return fmt.Errorf("document %q: %w", id, corpus.ErrNotFound) }

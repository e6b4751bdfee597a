package index

import "context"

// The workbench on the live generation: each call holds the generation it
// started on until it returns, as Search does.

// Frequency counts the matches of a search on the live generation (see
// Index.Frequency).
func (l *Live) Frequency(ctx context.Context, fq FreqQuery) (*Frequencies, error) {
	h, err := l.acquire()
	if err != nil {
		return nil, err
	}
	defer h.refs.Done()
	return h.ix.Frequency(ctx, fq)
}

// Collocations lists the words near a search's matches on the live
// generation (see Index.Collocations).
func (l *Live) Collocations(ctx context.Context, cq CollocQuery) (*Collocations, error) {
	h, err := l.acquire()
	if err != nil {
		return nil, err
	}
	defer h.refs.Done()
	return h.ix.Collocations(ctx, cq)
}

// Words lists the most frequent words on the live generation (see
// Index.Words).
func (l *Live) Words(ctx context.Context, wq WordListQuery) (*WordList, error) {
	h, err := l.acquire()
	if err != nil {
		return nil, err
	}
	defer h.refs.Done()
	return h.ix.Words(ctx, wq)
}

// Equivalents returns the dictionary's translations of a query's words
// (see Index.Equivalents).
func (l *Live) Equivalents(text string) ([]Equivalent, error) {
	h, err := l.acquire()
	if err != nil {
		return nil, err
	}
	defer h.refs.Done()
	return h.ix.Equivalents(text)
}

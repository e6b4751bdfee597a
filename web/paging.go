package web

import (
	"context"
	"fmt"
	"maps"
	"net/url"
	"strconv"
	"strings"

	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
)

// Paging of documents. A document may have any number of passages (a TMX
// of 80,000 units is one document), so its page shows a range of them, cut
// by an estimate of the HTML they make; a passage's page shows a window
// around it; the list of documents is paged by count.
const (
	// pageBytes bounds the estimated HTML of the passages of one page;
	// with the rest of the page, a page stays under maxPageBytes.
	pageBytes = 256 << 10
	// maxPageBytes is the bound on any page of a document or passage
	// (the layout, metadata and navigation add a few KiB to pageBytes; a
	// single passage is at most 2,000 characters a side, well under it).
	maxPageBytes = 500 << 10
	// pagePassages bounds the passages of one page whatever their size;
	// apiPagePassages those of a page of the API, whose passages cost
	// no markup.
	pagePassages    = 200
	apiPagePassages = 1000
	// windowPassages is how many passages a passage's page shows before
	// and after it (fewer when they are long).
	windowPassages = 10
	// documentsPerPage is the length of a page of the list of documents
	// (and the most an API page of it gives).
	documentsPerPage = 100
	// rowOverhead is the estimated markup of one passage's row.
	rowOverhead = 700
)

// rowBytes estimates the HTML of passage p's row: its texts and variants
// as escaped (html/template turns & < > " ' into entities of up to five
// bytes), its marks and the row's markup.
func rowBytes(p corpus.Passage, marks map[corpus.Lang][]index.Span) int {
	n := rowOverhead
	for _, l := range corpus.Langs {
		n += escapedLen(p.Text.Get(l)) + len(marks[l])*len("<mark></mark>")
	}
	for _, v := range p.Variants {
		n += escapedLen(v.Text) + 200
	}
	return n
}

func escapedLen(s string) int {
	return len(s) + 4*strings.Count(s, "&") + 3*(strings.Count(s, "<")+strings.Count(s, ">")) + 4*(strings.Count(s, `"`)+strings.Count(s, "'"))
}

// fitForward returns how many of ps, from the first, fit in budget bytes
// (at least one).
func fitForward(ps []corpus.Passage, marks map[string]map[corpus.Lang][]index.Span, budget int) int {
	used := 0
	for i, p := range ps {
		used += rowBytes(p, marks[p.ID])
		if used > budget && i > 0 {
			return i
		}
	}
	return len(ps)
}

// fitBackward returns the index in ps from which the passages to the end
// fit in budget bytes (at most len(ps)-1).
func fitBackward(ps []corpus.Passage, budget int) int {
	used := 0
	for i := len(ps) - 1; i >= 0; i-- {
		used += rowBytes(ps[i], nil)
		if used > budget && i < len(ps)-1 {
			return i + 1
		}
	}
	return 0
}

// docPaging is where a page of a document is in it, with links to the
// pages around it; "" where there is none.
type docPaging struct {
	From, To, Total         int // passages From+1 to To of Total, as a reader counts
	First, Prev, Next, Last string
}

// LastPos is the position of the page's last passage.
func (dp docPaging) LastPos() int { return dp.To - 1 }

// FromNum is the 1-based number of a list page's first item.
func (dp docPaging) FromNum() int { return dp.From + 1 }

// Paged reports whether the document takes more than one page.
func (dp docPaging) Paged() bool { return dp.From > 0 || dp.To < dp.Total }

// pageStartBefore returns where the page that ends just before position
// end starts, going back from end as far as the budget allows.
func (s *server) pageStartBefore(ctx context.Context, doc string, end int) (int, error) {
	if end <= 0 {
		return 0, nil
	}
	from := max(0, end-pagePassages)
	ps, err := s.searcher.DocumentPassages(ctx, doc, from, end)
	if err != nil {
		return 0, err
	}
	if len(ps) == 0 {
		return from, nil
	}
	return ps[fitBackward(ps, pageBytes)].Position, nil
}

// docPage reads the page of document info that starts at position from
// (or, when around ≥ 0, the window around position around), with the
// search's marks, and the links to the pages around it.
func (s *server) docPage(ctx context.Context, p page, info index.DocumentInfo, from, around int, sc *searchContext) ([]corpus.Passage, docPaging, error) {
	id := info.Document.ID
	total := info.Passages
	lo, hi := from, from+pagePassages
	if around >= 0 {
		lo, hi = max(0, around-windowPassages), around+windowPassages+1
	}
	ps, err := s.searcher.DocumentPassages(ctx, id, lo, hi)
	if err != nil {
		return nil, docPaging{}, err
	}
	s.markPassages(ctx, sc, id, ps)
	if around >= 0 {
		// Keep the passage, then its neighbours outward while they fit.
		at := 0
		for i, q := range ps {
			if q.Position == around {
				at = i
			}
		}
		i, j, used := at, at+1, rowBytes(ps[at], sc.matches[ps[at].ID])
		for i > 0 || j < len(ps) {
			grew := false
			if i > 0 && used+rowBytes(ps[i-1], sc.matches[ps[i-1].ID]) <= pageBytes {
				i--
				used += rowBytes(ps[i], sc.matches[ps[i].ID])
				grew = true
			}
			if j < len(ps) && used+rowBytes(ps[j], sc.matches[ps[j].ID]) <= pageBytes {
				used += rowBytes(ps[j], sc.matches[ps[j].ID])
				j++
				grew = true
			}
			if !grew {
				break
			}
		}
		ps = ps[i:j]
	} else {
		ps = ps[:fitForward(ps, sc.matches, pageBytes)]
	}
	dp := docPaging{Total: total}
	if len(ps) == 0 {
		return ps, dp, nil
	}
	dp.From, dp.To = ps[0].Position, ps[len(ps)-1].Position+1
	link := func(from int) string {
		v := url.Values{}
		maps.Copy(v, sc.carry)
		if from > 0 {
			v.Set("from", strconv.Itoa(from))
		}
		return p.link("/documents/"+url.PathEscape(id), v, "")
	}
	if dp.From > 0 {
		prev, err := s.pageStartBefore(ctx, id, dp.From)
		if err != nil {
			return nil, dp, err
		}
		dp.First, dp.Prev = link(0), link(prev)
	}
	if dp.To < total {
		last, err := s.pageStartBefore(ctx, id, total)
		if err != nil {
			return nil, dp, err
		}
		dp.Next, dp.Last = link(dp.To), link(max(last, dp.To))
	}
	return ps, dp, nil
}

// markPassages finds the search's words in ps (see searchContextOf).
func (s *server) markPassages(ctx context.Context, sc *searchContext, doc string, ps []corpus.Passage) {
	if sc.q == "" || len(ps) == 0 {
		return
	}
	// The words alone, on the side the search chose: the filters say which
	// passages are results, not which words to mark.
	m, err := s.searcher.Mark(ctx, index.Query{Text: sc.q, Lang: sc.lang, Doc: doc}, ps)
	if err != nil {
		s.log.WarnContext(ctx, "mark search words in a document", "doc", doc, "err", err)
		return
	}
	sc.matches = m
}

// fromParam reads the position a document's page starts at: the 0-based
// "from" parameter, default 0. A bad value is a 400 naming it.
func fromParam(v url.Values, name string) (int, error) {
	raw := v.Get(name)
	if raw == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%w: %s must be a whole number from 0, not %s", index.ErrBadQuery, name, quote(raw))
	}
	return n, nil
}

// The facets of the search page: entity, plain and year facets.

package web

import (
	"slices"
	"strconv"

	"github.com/corpus-dev/corpus/index"
)

// facetShown is how many values of a facet show before its "show all".
const facetShown = 10

// facetView is a facet of the sidebar: its first values, the others behind
// a "show all", and for a facet whose values can be ANDed the links that
// choose how they combine.
type facetView struct {
	Key, Title string
	Values     []tag
	More       []tag
	Ops        []opLink
}

// Count is how many values the facet has.
func (f facetView) Count() int { return len(f.Values) + len(f.More) }

// opLink chooses how a facet's chosen values combine.
type opLink struct {
	Label, Href string
	Active      bool
}

// add appends value t, behind "show all" past the first facetShown. A
// chosen value always shows first, so it can be taken away without
// opening the list.
func (f *facetView) add(t tag) {
	if len(f.Values) < facetShown || t.Active {
		f.Values = append(f.Values, t)
		return
	}
	f.More = append(f.More, t)
}

// ops offers "any" and "all" for facet key once one of its values is
// chosen; the parameter key+"_op" says which.
func ops(p page, st state, key string) []opLink {
	if len(st.v[key]) == 0 {
		return nil
	}
	and := st.v.Get(key+"_op") == "and"
	return []opLink{
		{Label: p.T("facet.op.or"), Href: st.without(key+"_op", "and"), Active: !and},
		{Label: p.T("facet.op.and"), Href: st.with(key+"_op", "and"), Active: and},
	}
}

// timeline is the year facet drawn as a bar chart. Its viewBox is
// stretched to the width of its column, whatever that is, so the years
// under it are HTML rather than SVG text that would shrink with it.
type timeline struct {
	Width, Height int // of the viewBox
	Bars          []bar
	First, Last   string
}

// bar is one year of the timeline.
type bar struct {
	X, Y, W, H int
	Label      string
	Href       string // "" for a year without hits
	Active     bool
}

// yearFacet is the year facet: the chart, the list and a range form.
type yearFacet struct {
	Chart    *timeline
	Values   []tag
	From, To string
	Hidden   []field
}

// entityTag returns the link toggling entity name as a value of key,
// labelled in the page's language first.
func (s *server) entityTag(p page, st state, key, name, zh string) tag {
	if zh == "" {
		zh = s.searcher.LabelZH(name)
	}
	t := tag{Main: name, MainLang: "en", Alt: zh, AltLang: "zh-Hans", Active: st.has(key, name), Href: st.toggle(key, name)}
	if p.UI == "zh" && zh != "" {
		t.Main, t.MainLang, t.Alt, t.AltLang = zh, "zh-Hans", name, "en"
	}
	if t.Alt == t.Main {
		t.Alt = ""
	}
	return t
}

// entityFacet returns a facet of entity names.
func (s *server) entityFacet(p page, st state, key string, vs []index.FacetValue) facetView {
	f := facetView{Key: key, Title: p.T("facet." + key), Ops: ops(p, st, key)}
	for _, v := range vs {
		t := s.entityTag(p, st, key, v.Value, v.LabelZH)
		t.Count = v.Count
		f.add(t)
	}
	return f
}

// docFacet returns the facet of documents, labelled by their titles. One
// document is chosen at a time: a value replaces the chosen one.
func docFacet(p page, st state, vs []index.FacetValue, titles *titleOf) facetView {
	f := facetView{Key: "doc", Title: p.T("facet.doc")}
	for _, v := range vs {
		l := docLabelOf(titles.of(v.Value), v.Value, p.UI, hitTitleWidth)
		t := tag{Main: l.Short, MainLang: l.Lang, Count: v.Count, Active: st.has("doc", v.Value), Href: st.with("doc", v.Value)}
		if t.Active {
			t.Href = st.without("doc", v.Value)
		}
		f.add(t)
	}
	return f
}

// plainFacet returns a facet whose values label names.
func (s *server) plainFacet(p page, st state, key string, vs []index.FacetValue, label func(string) string) facetView {
	f := facetView{Key: key, Title: p.T("facet." + key)}
	for _, v := range vs {
		f.add(tag{
			Main: label(v.Value), MainLang: p.HTMLLang(), Count: v.Count,
			Active: st.has(key, v.Value), Href: st.toggle(key, v.Value),
		})
	}
	return f
}

// Sizes of the timeline, in SVG user units.
const (
	barWidth     = 10
	barStep      = 13
	chartHeight  = 60
	maxChartSpan = 200 // years; a wider span shows only the years with hits
)

// yearFacetOf returns the year facet, with a bar per year from the first to
// the last so the chart's gaps are true gaps in time.
func yearFacetOf(p page, st state, vs []index.FacetValue) *yearFacet {
	counts := map[int]int{}
	var years []int
	most := 0
	for _, v := range vs {
		y, err := strconv.Atoi(v.Value)
		if err != nil {
			continue
		}
		if _, ok := counts[y]; !ok {
			years = append(years, y)
		}
		counts[y] += v.Count
		most = max(most, counts[y])
	}
	f := &yearFacet{From: st.v.Get("year_from"), To: st.v.Get("year_to"), Hidden: st.hidden("year_from", "year_to")}
	if len(years) == 0 && f.From == "" && f.To == "" {
		return nil
	}
	slices.Sort(years)
	for _, y := range years {
		ys := strconv.Itoa(y)
		f.Values = append(f.Values, tag{Main: ys, MainLang: "en", Count: counts[y], Active: st.has("year", ys), Href: st.toggle("year", ys)})
	}
	if len(years) == 0 {
		return f
	}
	axis := years
	if span := years[len(years)-1] - years[0] + 1; span <= maxChartSpan {
		axis = make([]int, span)
		for i := range axis {
			axis[i] = years[0] + i
		}
	}
	ch := &timeline{
		Width:  len(axis)*barStep - (barStep - barWidth),
		Height: chartHeight,
		First:  strconv.Itoa(axis[0]),
		Last:   strconv.Itoa(axis[len(axis)-1]),
	}
	for i, y := range axis {
		ys := strconv.Itoa(y)
		n := counts[y]
		b := bar{X: i * barStep, W: barWidth, Label: p.T("facet.year.bar", y, n), Active: st.has("year", ys)}
		if n > 0 {
			b.H = max(2, (n*chartHeight+most-1)/most)
			b.Href = st.toggle("year", ys)
		} else {
			b.H = 1
		}
		b.Y = chartHeight - b.H
		ch.Bars = append(ch.Bars, b)
	}
	f.Chart = ch
	return f
}

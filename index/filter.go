package index

import (
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/corpus-dev/corpus/corpus"
)

// filtered is text restricted to q's document and to the facet filters
// but the one named skip ("" for none); the filters do not change scores.
func filtered(text query.Query, q Query, filters map[string]query.Query, skip string) query.Query {
	var fs []query.Query
	for name, f := range filters {
		if name != skip {
			fs = append(fs, f)
		}
	}
	b := bleve.NewBooleanQuery()
	b.AddMust(text)
	if len(fs) > 0 {
		b.AddFilter(bleve.NewConjunctionQuery(fs...))
	}
	return b
}

// filterQueries returns one query per active facet filter.
func filterQueries(q Query) map[string]query.Query {
	fs := map[string]query.Query{}
	anyOf := func(field string, vs []string) query.Query {
		qs := make([]query.Query, len(vs))
		for i, v := range vs {
			qs[i] = termQ(field, v)
		}
		return bleve.NewDisjunctionQuery(qs...)
	}
	allOf := func(field string, vs []string) query.Query {
		qs := make([]query.Query, len(vs))
		for i, v := range vs {
			qs[i] = termQ(field, v)
		}
		return bleve.NewConjunctionQuery(qs...)
	}
	if len(q.Companies) > 0 {
		fs[facetCompany] = anyOf(fieldCompany, q.Companies)
		if q.CompaniesAll {
			fs[facetCompany] = allOf(fieldCompany, q.Companies)
		}
	}
	if len(q.Speakers) > 0 {
		fs[facetSpeaker] = anyOf(fieldSpeaker, q.Speakers)
		if q.SpeakersAll {
			fs[facetSpeaker] = allOf(fieldSpeaker, q.Speakers)
		}
	}
	if q.Doc != "" {
		fs[facetDoc] = termQ(fieldDoc, q.Doc)
	}
	if len(q.Sections) > 0 {
		fs[facetSection] = anyOf(fieldSection, sectionTerms(q.Sections))
	}
	var ys []query.Query
	if len(q.Years) > 0 {
		ys = append(ys, anyOf(fieldYear, yearTerms(q.Years)))
	}
	if q.YearFrom != 0 || q.YearTo != 0 {
		lo, hi := q.YearFrom, q.YearTo
		if hi == 0 {
			hi = 9999
		}
		t := true
		r := bleve.NewTermRangeInclusiveQuery(yearTerm(lo), yearTerm(hi), &t, &t)
		r.SetField(fieldYear)
		ys = append(ys, r)
	}
	if len(ys) > 0 {
		fs[facetYear] = bleve.NewConjunctionQuery(ys...)
	}
	return fs
}

// yearTerm is how a year is indexed: four digits, so that term order is
// numeric order and a year range is a term range.
func yearTerm(y int) string { return fmt.Sprintf("%04d", y) }

// yearTerms are ys as indexed (yearTerm).
func yearTerms(ys []int) []string {
	out := make([]string, len(ys))
	for i, y := range ys {
		out[i] = yearTerm(y)
	}
	return out
}

// sectionTerms are ss as indexed.
func sectionTerms(ss []corpus.Section) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return out
}

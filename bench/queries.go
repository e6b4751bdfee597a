package bench

import (
	"net/url"
	"strconv"

	"github.com/corpus-dev/corpus/index"
)

// Query types, in report order.
const (
	TypeZHTerm   = "zh term"
	TypeENTerm   = "en term"
	TypeZHPhrase = "zh phrase"
	TypeENPhrase = "en phrase"
	TypeEntity   = "entity"
	TypeFiltered = "filtered"
	TypeBrowse   = "browse"
)

// Types lists the query types in report order.
var Types = []string{TypeZHTerm, TypeENTerm, TypeZHPhrase, TypeENPhrase, TypeEntity, TypeFiltered, TypeBrowse}

// Query is one query of the fixed set.
type Query struct {
	Type string
	Q    index.Query
}

// Label is how the report names q.
func (q Query) Label() string {
	s := q.Q.Text
	if s == "" {
		s = "(empty)"
	}
	for _, c := range q.Q.Companies {
		s += " company=" + c
	}
	for _, y := range q.Q.Years {
		s += " year=" + strconv.Itoa(y)
	}
	if q.Q.YearFrom != 0 || q.Q.YearTo != 0 {
		s += " years=" + strconv.Itoa(q.Q.YearFrom) + "–" + strconv.Itoa(q.Q.YearTo)
	}
	return s
}

// Values are q's parameters as the web API takes them.
func (q Query) Values() url.Values {
	v := url.Values{}
	if q.Q.Text != "" {
		v.Set("q", q.Q.Text)
	}
	for _, c := range q.Q.Companies {
		v.Add("company", c)
	}
	for _, y := range q.Q.Years {
		v.Add("year", strconv.Itoa(y))
	}
	if q.Q.YearFrom != 0 {
		v.Set("year_from", strconv.Itoa(q.Q.YearFrom))
	}
	if q.Q.YearTo != 0 {
		v.Set("year_to", strconv.Itoa(q.Q.YearTo))
	}
	return v
}

// QuerySet is the fixed set of queries every run measures: words and
// two-word phrases in both languages, entity names in both languages, filters
// and the empty-query browse. Every query except the browse carries facets,
// as the search page asks for them.
func QuerySet() []Query {
	q := func(typ, text string) Query { return Query{Type: typ, Q: index.Query{Text: text}} }
	return []Query{
		q(TypeZHTerm, "文件"),
		q(TypeZHTerm, "孩子"),
		q(TypeZHTerm, "设置"),
		q(TypeZHTerm, "美国"),
		q(TypeZHTerm, "时候"),

		q(TypeENTerm, "file"),
		q(TypeENTerm, "password"),
		q(TypeENTerm, "window"),
		q(TypeENTerm, "government"),
		q(TypeENTerm, "market"),

		q(TypeZHPhrase, `"打开文件"`),
		q(TypeZHPhrase, `"美国政府"`),
		q(TypeZHPhrase, `"无法创建"`),
		q(TypeZHPhrase, `"海外市场"`),

		q(TypeENPhrase, `"file name"`),
		q(TypeENPhrase, `"United States"`),
		q(TypeENPhrase, `"network connection"`),
		q(TypeENPhrase, `"overseas market"`),

		q(TypeEntity, "华为"),
		q(TypeEntity, "Huawei"),
		q(TypeEntity, "字节跳动"),
		q(TypeEntity, "TikTok"),
		q(TypeEntity, "Ren Zhengfei"),
		q(TypeEntity, "腾讯"),

		{Type: TypeFiltered, Q: index.Query{Text: "美国", Companies: []string{"Huawei"}}},
		{Type: TypeFiltered, Q: index.Query{Text: "market", Years: []int{2015}}},
		{Type: TypeFiltered, Q: index.Query{Text: "文件", YearFrom: 2010, YearTo: 2020}},
		{Type: TypeFiltered, Q: index.Query{Companies: []string{"ByteDance"}}},

		q(TypeBrowse, ""),
	}
}

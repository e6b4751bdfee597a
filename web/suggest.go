package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/corpus-dev/corpus/index"
)

// suggestParams are the parameters /api/suggest accepts.
var suggestParams = []string{"q", "n"}

// apiSuggestion is a suggestion as /api/suggest gives it.
type apiSuggestion struct {
	Text   string `json:"text"`
	Other  string `json:"other"`
	Lang   string `json:"lang"`
	Entity bool   `json:"entity"`
	Count  int    `json:"count"`
}

// apiSuggestions is the answer of GET /api/suggest.
type apiSuggestions struct {
	Q           string          `json:"q"`
	Suggestions []apiSuggestion `json:"suggestions"`
}

// apiSuggest answers GET /api/suggest: words and entities of the corpus
// completing the last word of q, for the search box as one types.
func (s *server) apiSuggest(c echo.Context) error {
	v := c.QueryParams()
	if err := knownParams(v, suggestParams); err != nil {
		return err
	}
	q, err := textParam(v, "q", index.MaxQueryBytes)
	if err != nil {
		return err
	}
	n, err := intParam(v, "n", index.MaxSuggestions)
	if err != nil {
		return err
	}
	if n == 0 {
		n = 8
	}
	out := apiSuggestions{Q: q, Suggestions: []apiSuggestion{}}
	ss, err := s.searcher.Suggest(c.Request().Context(), lastWord(q), n)
	if err != nil {
		return err
	}
	for _, sg := range ss {
		out.Suggestions = append(out.Suggestions, apiSuggestion{Text: sg.Text, Other: sg.Other, Lang: string(sg.Lang), Entity: sg.Entity, Count: sg.Count})
	}
	// Suggestions change only with the index: a browser may keep them
	// for a minute as one types the same letters again.
	c.Response().Header().Set("Cache-Control", "public, max-age=60")
	return c.JSON(http.StatusOK, out)
}

// lastWord is the word being typed at the end of q: what follows its last
// space, less a leading - or quote.
func lastWord(q string) string {
	if i := strings.LastIndexAny(q, " \u3000"); i >= 0 {
		q = q[i+1:]
	}
	return strings.TrimLeft(q, `-"“`)
}

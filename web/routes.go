package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// routes registers every URL of the site. Passage IDs contain a slash
// ("essay/p012"), so passage routes take the rest of the path; the slash may
// also come escaped as %2F.
func (s *server) routes(e *echo.Echo) {
	// Pages.
	e.GET("/", s.home)
	e.GET("/search", s.searchPage)
	e.GET("/concordance", s.concordancePage)
	e.GET("/documents", s.documentsPage)
	e.GET("/documents/:id", s.documentPage)
	e.GET("/passages/*", s.passagePage)
	e.GET("/frequency", s.frequencyPage) // the workbench (workbench*.go)
	e.GET("/collocations", s.collocationsPage)
	e.GET("/words", s.wordsPage)
	e.GET("/parallel", s.parallelPage)

	// JSON API, described by /api/openapi.json.
	e.GET("/api/search", s.apiSearch) // format=csv|jsonl exports
	e.GET("/api/search.csv", s.apiSearchCSV)
	e.GET("/api/passages/*", s.apiPassage)
	e.GET("/api/documents", s.apiDocuments)
	e.GET("/api/documents/:id", s.apiDocument)
	e.GET("/api/frequency", s.apiFrequency) // format=csv; the workbench
	e.GET("/api/collocations", s.apiCollocations)
	e.GET("/api/words", s.apiWords)
	e.GET("/api/equivalents", s.apiEquivalents)
	e.GET("/api/concordance", s.apiConcordance) // format=csv|jsonl
	e.GET("/api/suggest", s.apiSuggest)
	e.GET("/api/openapi.json", s.apiOpenAPI)
	e.GET("/healthz", s.health)
	e.GET("/livez", s.health)
	e.GET("/readyz", s.ready)
	e.GET("/metrics", s.serveMetrics)

	// Files.
	static := echo.MustSubFS(files, "static")
	e.Group("/static", longCache).StaticFS("/", static)
	e.FileFS("/favicon.ico", "favicon.ico", static, longCache)
}

// apiOpenAPI serves the OpenAPI 3.0 description of the JSON API.
func (s *server) apiOpenAPI(c echo.Context) error {
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, s.openapi)
}

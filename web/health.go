package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// health answers GET /healthz: the site is up and which index it serves.
func (s *server) health(c echo.Context) error {
	st := s.searcher.Stats()
	return c.JSON(http.StatusOK, apiHealth{
		Status:     "ok",
		Version:    s.version,
		Generation: st.Generation,
		Documents:  st.Documents,
		Passages:   st.Passages,
	})
}

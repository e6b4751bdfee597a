package web

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/corpus-dev/corpus/index"
)

// exportFormat is a file format of an export.
type exportFormat int

const (
	csvExport exportFormat = iota
	jsonlExport
)

// csvHeader names the columns of a CSV export.
var csvHeader = []string{"id", "doc", "position", "section", "en", "zh", "companies", "years", "speakers"}

// export writes every hit of q, up to index.MaxExport. A bad query is
// still answered as one, since the hits are found before anything is
// written; X-Total-Count says how many hits there were, so a client can
// tell a truncated export.
func (s *server) export(c echo.Context, q index.Query, f exportFormat) error {
	res := c.Response()
	cw := csv.NewWriter(res)
	enc := json.NewEncoder(res)
	enc.SetEscapeHTML(false)
	started := false
	start := func(total int) error {
		started = true
		h := res.Header()
		h.Set("X-Total-Count", strconv.Itoa(total))
		switch f {
		case csvExport:
			h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
			h.Set(echo.HeaderContentDisposition, `attachment; filename="corpus-search.csv"`)
		case jsonlExport:
			h.Set(echo.HeaderContentType, "application/x-ndjson; charset=utf-8")
			h.Set(echo.HeaderContentDisposition, `attachment; filename="corpus-search.jsonl"`)
		}
		res.WriteHeader(http.StatusOK)
		if f == csvExport {
			return cw.Write(csvHeader)
		}
		return nil
	}
	err := s.searcher.Scan(c.Request().Context(), q, index.MaxExport, func(total int, h index.Hit) error {
		if !started {
			if err := start(total); err != nil {
				return err
			}
		}
		if f == jsonlExport {
			return enc.Encode(toAPIHit(h))
		}
		ps := h.Passage
		years := make([]string, len(ps.Years))
		for i, y := range ps.Years {
			years[i] = strconv.Itoa(y)
		}
		row := []string{
			ps.ID, ps.Doc, strconv.Itoa(ps.Position), string(ps.Section), ps.Text.EN, ps.Text.ZH,
			strings.Join(ps.Companies, "; "), strings.Join(years, "; "), strings.Join(ps.Speakers, "; "),
		}
		for i := range row {
			row[i] = csvCell(row[i])
		}
		return cw.Write(row)
	})
	if err == nil && !started {
		err = start(0) // no hits: the header row alone
	}
	if err == nil {
		cw.Flush()
		err = cw.Error()
	}
	if err != nil && started {
		// The status and part of the file are out: ending the response
		// normally would hand the client a truncated file that looks
		// whole. Breaking the connection tells it the download failed.
		s.log.ErrorContext(c.Request().Context(), "export failed part-way; connection broken", "path", c.Request().URL.Path, "err", err)
		panic(http.ErrAbortHandler)
	}
	return err
}

// csvCell guards a cell against formula injection: a spreadsheet runs a
// cell that starts with = + - @ (or a tab or carriage return before one),
// so such a cell gets a leading apostrophe, which spreadsheets show as text.
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

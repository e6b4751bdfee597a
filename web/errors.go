package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
)

// errorData is the data of the error page.
type errorData struct {
	page
	Code    int
	Heading string
	Message string
	// Action is where the page's search form goes: the page the user was
	// on when it was a search page.
	Action string
	// Detail is the index's own message, in English, when the page has
	// no words of its own for what went wrong.
	Detail string
	// Hidden keeps the search's filters in the form, less the one at
	// fault, so a corrected query keeps them.
	Hidden []field
}

// handleError is echo's HTTPErrorHandler: the one place that turns an error
// into a status. A bad query is 400 with its message, a missing document or
// passage 404, an *echo.HTTPError its own code, and anything else 500 with a
// generic message, the error itself only logged.
func (s *server) handleError(err error, c echo.Context) {
	code, msg := s.classify(c, err)
	if c.Response().Committed {
		return
	}
	req := c.Request()
	if isAPI(req.URL.Path) {
		err = c.JSON(code, apiError{Error: msg}) // for HEAD, net/http drops the body
	} else {
		err = s.renderError(c, code, msg, err)
	}
	if err != nil {
		s.log.ErrorContext(req.Context(), "write error response", "path", req.URL.Path, "err", err)
	}
}

// classify returns the status for err and the message the user may see,
// logging what the user must not.
func (s *server) classify(c echo.Context, err error) (int, string) {
	var he *echo.HTTPError
	switch {
	case errors.Is(err, index.ErrBadQuery):
		return http.StatusBadRequest, err.Error()
	case errors.Is(err, corpus.ErrNotFound):
		return http.StatusNotFound, "not found"
	case errors.Is(err, context.DeadlineExceeded):
		s.log.WarnContext(c.Request().Context(), "request took too long", "path", c.Request().URL.Path, "err", err)
		return http.StatusServiceUnavailable, "the request took too long"
	case errors.Is(err, context.Canceled):
		// The client went away; nobody reads the answer.
		return http.StatusServiceUnavailable, "the request was cancelled"
	case errors.As(err, &he) && he.Code < 500:
		if m, ok := he.Message.(string); ok {
			return he.Code, strings.ToLower(m)
		}
		return he.Code, strings.ToLower(http.StatusText(he.Code))
	}
	attrs := []any{"method", c.Request().Method, "path", c.Request().URL.Path, "err", err}
	var pe *panicError
	var ipe *index.PanicError
	switch {
	case errors.As(err, &pe):
		attrs = append(attrs, "stack", string(pe.stack))
	case errors.As(err, &ipe):
		attrs = append(attrs, "stack", string(ipe.Stack))
	}
	code := http.StatusInternalServerError
	if he != nil {
		code = he.Code
	}
	s.log.ErrorContext(c.Request().Context(), "internal error", attrs...)
	return code, "internal error"
}

// renderError shows the error page; if that fails too it falls back to
// plain text.
func (s *server) renderError(c echo.Context, code int, msg string, cause error) error {
	p := s.newPage(c, "", "")
	p.Title = p.T(errorKey(code, "title"))
	p.Query = displayable(c.QueryParam("q"))
	d := errorData{page: p, Code: code, Heading: p.Title, Message: p.T(errorKey(code, "text")), Action: "/search"}
	path := c.Request().URL.Path
	if path == "/concordance" {
		d.Action = path
	}
	if code == http.StatusBadRequest {
		// A parameter's fault is said in the page's language; the index's
		// messages say what to fix in English only.
		var pe *paramError
		bad := ""
		if errors.As(cause, &pe) {
			d.Message, bad = pe.message(p), pe.param
		} else {
			d.Detail = strings.TrimPrefix(msg, index.ErrBadQuery.Error()+": ")
		}
		if path == "/search" || path == "/" || path == "/concordance" {
			keys := slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(searchParams), concordanceParams...))))
			d.Hidden = newState(path, c.QueryParams(), keys).hidden("q", bad)
		}
	}
	if err := c.Render(code, "error.html", d); err != nil {
		return errors.Join(err, c.String(code, msg))
	}
	return nil
}

// errorKeys are the statuses the error page has words for.
var errorKeys = []int{400, 404, 405, 413, 500, 503}

// errorKey is the translation key of part ("title" or "text") of the error
// page for code.
func errorKey(code int, part string) string {
	if slices.Contains(errorKeys, code) {
		return "error." + strconv.Itoa(code) + "." + part
	}
	return "error.other." + part
}

// isAPI reports whether path is answered in JSON.
func isAPI(path string) bool {
	return strings.HasPrefix(path, "/api/") || path == "/healthz" || path == "/readyz"
}

package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/corpus-dev/corpus/index"
)

// headAsGet answers HEAD wherever GET is answered: the request is routed as
// a GET, and net/http, which still sees the client's HEAD, sends the
// headers without the body. (echo routes by the method of the request it
// was handed, so this wraps echo rather than being its middleware.)
func headAsGet(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead {
			r = r.WithContext(context.WithValue(r.Context(), headKey{}, true))
			r.Method = http.MethodGet
		}
		h.ServeHTTP(w, r)
	})
}

// headKey marks, in a request's context, a request that came as HEAD.
type headKey struct{}

// isHead reports whether the client asked with HEAD.
func isHead(c echo.Context) bool {
	req := c.Request()
	h, _ := req.Context().Value(headKey{}).(bool)
	return h || req.Method == http.MethodHead
}

// checkParams refuses a query string that cannot be decoded (a stray %, a
// ; as separator, invalid escapes) with a 400 naming the parameter, where
// echo would silently drop it and answer a wider search than was asked.
func checkParams(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := badParam(c.Request().URL.RawQuery); err != nil {
			return err
		}
		return next(c)
	}
}

// badParam returns an error wrapping index.ErrBadQuery naming the first
// parameter of the raw query that cannot be decoded, nil if all can.
func badParam(raw string) error {
	if _, err := url.ParseQuery(raw); err == nil {
		return nil
	}
	for pair := range strings.SplitSeq(raw, "&") {
		if pair == "" {
			continue
		}
		key, value, _ := strings.Cut(pair, "=")
		name := key
		if k, err := url.QueryUnescape(key); err == nil {
			name = k
		}
		if strings.Contains(pair, ";") {
			return fmt.Errorf("%w: parameter %s contains a semicolon; write it as %%3B (parameters are separated by &)", index.ErrBadQuery, quote(name))
		}
		if _, err := url.QueryUnescape(key); err != nil {
			return fmt.Errorf("%w: parameter name %s cannot be decoded (%v); write %% as %%25", index.ErrBadQuery, quote(key), err)
		}
		if _, err := url.QueryUnescape(value); err != nil {
			return fmt.Errorf("%w: parameter %s cannot be decoded (%v); write %% as %%25", index.ErrBadQuery, quote(name), err)
		}
	}
	return fmt.Errorf("%w: the query string cannot be decoded", index.ErrBadQuery)
}

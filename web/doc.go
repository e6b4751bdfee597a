// Package web is the site: a browser UI (server-rendered html/template pages
// that work without JavaScript) and a JSON API over the index, served with
// echo v4.
//
// It depends on the index only through the Searcher interface it owns, and
// on the index and corpus packages for their types. It must not import bleve
// or gse; cmd/corpus wires a real index in and owns the http.Server.
//
// Every URL is listed in routes.go. Handlers return errors to the one error
// handler in errors.go, which decides the HTTP status. Templates, static
// files, translations and the OpenAPI document are embedded and parsed when
// New is called, so a broken template fails at start-up, not on a request.
package web

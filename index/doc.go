// Package index keeps the corpus in on-disk bleve indexes and answers
// searches with highlights and facets.
//
// A data folder holds generations: each build writes a complete new index
// beside the live one, verifies it and switches a pointer file atomically, so
// a failed or killed build never touches what is being served. Results cross
// the package boundary as this package's types (Results, Hit, Facets), never
// as bleve's.
//
// index may import corpus and segment; it must not import web or cmd.
package index

package main

import (
	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/segment"
)

// annotate runs the extractor, as `corpus index` does, on every document:
// with gse's person names (segment.PersonNames) unless noNames.
func annotate(c *corpusSet, noNames bool) error {
	g, err := corpus.DefaultGazetteer()
	if err != nil {
		return err
	}
	x := corpus.NewExtractor(g)
	if !noNames {
		x = x.WithPersonNames(segment.PersonNames())
	}
	for _, d := range c.docs {
		x.Annotate(d)
	}
	return nil
}

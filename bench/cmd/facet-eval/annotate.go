package main

import (
	"github.com/corpus-dev/corpus/corpus"
)

// annotate runs the extractor, as `corpus index` does, on every document.
func annotate(c *corpusSet) error {
	g, err := corpus.DefaultGazetteer()
	if err != nil {
		return err
	}
	x := corpus.NewExtractor(g)
	for _, d := range c.docs {
		x.Annotate(d)
	}
	return nil
}

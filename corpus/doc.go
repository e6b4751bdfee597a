// Package corpus holds the domain of the product: documents, their aligned
// bilingual passages, references, the entity gazetteer and the extractor that
// tags passages with company, year and speaker facets.
//
// It reads sources (the embedded essay, a user's folder) into plain values.
// It must not import bleve, gse, echo or any other package of this module:
// everything else depends on corpus, never the other way round.
package corpus

package index

import (
	"fmt"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	_ "github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/corpus-dev/corpus/segment"
)

// Names under which our analysis components are registered with bleve. They
// are stored in every index's mapping, so renaming one breaks old indexes.
const (
	zhTokenizerName = "corpus_gse"
	deriveName      = "corpus_derive"
	positionsName   = "corpus_positions_only"
	enAnalyzerName  = "corpus_en"
	zhAnalyzerName  = "corpus_zh"
)

// segmenter is the one Chinese segmenter of the process. bleve builds
// tokenizers from the JSON config stored with an index mapping, so a loaded
// segmenter cannot be handed to it; and loading the dictionary costs about
// 0.1 s and 28 MiB (gse's own loader: a second and 127 MiB), so it happens
// once. Words a corpus adds (its gazetteer's Chinese names) are added to
// this shared segmenter.
var segmenter = sync.OnceValues(segment.Default)

// addWords makes sure every word in words is one token for the segmenter.
func addWords(words []string) error {
	s, err := segmenter()
	if err != nil {
		return fmt.Errorf("load segmenter: %w", err)
	}
	if err := s.AddWords(words); err != nil {
		return fmt.Errorf("add gazetteer words to segmenter: %w", err)
	}
	return nil
}

func init() {
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	must(registry.RegisterTokenizer(zhTokenizerName, func(map[string]interface{}, *registry.Cache) (analysis.Tokenizer, error) {
		s, err := segmenter()
		if err != nil {
			return nil, fmt.Errorf("load segmenter: %w", err)
		}
		return zhTokenizer{s}, nil
	}))
	must(registry.RegisterTokenFilter(deriveName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return deriveFilter{}, nil
	}))
	must(registry.RegisterTokenFilter(positionsName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return positionsOnly{}, nil
	}))
}

// zhTokenizer adapts segment to bleve: terms are the folded (simplified,
// half-width, lower-case) forms; offsets point into the text as written.
type zhTokenizer struct{ s *segment.Segmenter }

func (t zhTokenizer) Tokenize(text []byte) analysis.TokenStream {
	toks := t.s.Tokens(string(text))
	out := make(analysis.TokenStream, 0, len(toks))
	for _, tk := range toks {
		typ := analysis.Ideographic
		if tk.Script != segment.Han {
			typ = analysis.AlphaNumeric
		}
		out = append(out, &analysis.Token{
			Term:     []byte(tk.Text),
			Start:    tk.Start,
			End:      tk.End,
			Position: tk.Position,
			Type:     typ,
		})
	}
	return out
}

// derivations conflate Latin word families that the Porter stemmer leaves
// apart although a reader treats them as one word: "acquisitions" stems to
// "acquisit" and "acquired" to "acquir". Each rule rewrites a stem ending.
var derivations = []struct{ from, to string }{
	{"uisit", "uir"}, // acquisition/acquire, requisition/require, inquisition/inquire
	{"ption", "pt"},  // adoption/adopt, exemption/exempt
}

// deriveFilter applies derivations after stemming.
type deriveFilter struct{}

func (deriveFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, tk := range in {
		for _, d := range derivations {
			if len(tk.Term) > len(d.from)+2 && strings.HasSuffix(string(tk.Term), d.from) {
				tk.Term = append(tk.Term[:len(tk.Term)-len(d.from)], d.to...)
				break
			}
		}
	}
	return in
}

// positionsOnly drops the offsets of the tokens the index keeps. bleve
// stores a start and an end offset with every position of a field with term
// vectors, and nothing in the index reads them: phrases need the positions
// only, and the highlighter analyses the passages it shows (Index.analyze
// leaves this filter out). Zero offsets take one byte each instead of two
// or three: about a third of the positions' bytes.
type positionsOnly struct{}

func (positionsOnly) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, tk := range in {
		tk.Start, tk.End = 0, 0
	}
	return in
}

// withOffsets returns a without positionsOnly: the analysis of text as
// written, offsets included.
func withOffsets(a analysis.Analyzer) analysis.Analyzer {
	d, ok := a.(*analysis.DefaultAnalyzer)
	if !ok {
		return a
	}
	var fs []analysis.TokenFilter
	for _, f := range d.TokenFilters {
		if _, drop := f.(positionsOnly); !drop {
			fs = append(fs, f)
		}
	}
	if len(fs) == len(d.TokenFilters) {
		return a
	}
	return &analysis.DefaultAnalyzer{CharFilters: d.CharFilters, Tokenizer: d.Tokenizer, TokenFilters: fs}
}

// newMapping returns the index mapping: one document type, "passage".
func newMapping() (*mapping.IndexMappingImpl, error) {
	m := mapping.NewIndexMapping()
	err := m.AddCustomAnalyzer(enAnalyzerName, map[string]interface{}{
		"type":      "custom",
		"tokenizer": foldTokenizerName,
		"token_filters": []string{
			en.PossessiveName, lowercase.Name, en.StopName, porter.Name, deriveName, positionsName,
		},
	})
	if err != nil {
		return nil, fmt.Errorf("english analyzer: %w", err)
	}
	err = m.AddCustomAnalyzer(zhAnalyzerName, map[string]interface{}{
		"type":          "custom",
		"tokenizer":     zhTokenizerName,
		"token_filters": []string{positionsName},
	})
	if err != nil {
		return nil, fmt.Errorf("chinese analyzer: %w", err)
	}

	text := func(analyzer string) *mapping.FieldMapping {
		f := mapping.NewTextFieldMapping()
		f.Analyzer = analyzer
		f.Store = false // shown from the stored passage record
		// Phrase queries need term positions, which scorch keeps with
		// the term vectors.
		f.IncludeTermVectors = true
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	kw := func() *mapping.FieldMapping {
		f := mapping.NewKeywordFieldMapping()
		f.Store = false
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		return f
	}
	src := mapping.NewTextFieldMapping()
	src.Index = false
	src.IncludeTermVectors = false
	src.IncludeInAll = false
	src.DocValues = false

	dm := mapping.NewDocumentStaticMapping()
	dm.AddFieldMappingsAt(fieldEN, text(enAnalyzerName))
	dm.AddFieldMappingsAt(fieldZH, text(zhAnalyzerName))
	// Positions and year bounds are keyword terms of fixed width, which
	// sort and compare as their numbers do: bleve indexes a number as 16
	// terms (one per precision), and those were 15% of a build's CPU.
	for _, f := range []string{fieldCompany, fieldSpeaker, fieldYear, fieldSection, fieldLang, fieldDoc, fieldEntity, fieldEntityEN, fieldEntityZH, fieldPos, fieldYearMin, fieldYearMax} {
		dm.AddFieldMappingsAt(f, kw())
	}
	dm.AddFieldMappingsAt(fieldSrc, src)

	m.DefaultMapping = dm
	m.DefaultAnalyzer = keyword.Name
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	return m, nil
}

// Field names in the bleve index.
const (
	fieldEN       = "en"
	fieldZH       = "zh"
	fieldCompany  = "company"
	fieldSpeaker  = "speaker"
	fieldYear     = "year" // keyword "2009": term facets and term ranges on 4-digit years
	fieldSection  = "section"
	fieldLang     = "lang" // sides that have text
	fieldDoc      = "doc"
	fieldEntity   = "entity"    // entities named on either side, with parents
	fieldEntityEN = "entity_en" // named on the English side
	fieldEntityZH = "entity_zh" // named on the Chinese side
	fieldPos      = "pos"       // posTerm
	fieldYearMin  = "year_min"  // yearTerm
	fieldYearMax  = "year_max"  // yearTerm
	fieldSrc      = "src"       // the passage record as JSON, stored only
)

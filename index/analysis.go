package index

import (
	"fmt"
	"strings"
	"sync"
	"unicode"

	"github.com/blevesearch/bleve/v2/analysis"
	_ "github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
	porterstemmer "github.com/blevesearch/go-porterstemmer"

	"github.com/corpus-dev/corpus/segment"
)

// Names under which our analysis components are registered with bleve. They
// are stored in every index's mapping, so renaming one breaks old indexes.
const (
	zhTokenizerName  = "corpus_gse"
	latinTokenizer   = "corpus_gse_latin" // the tokens of corpus_gse that are not Han words
	positionsName    = "corpus_positions_only"
	hanTokenizerName = "corpus_han"
	stemName         = "corpus_stem"
	enAnalyzerName   = "corpus_en"      // exact words: lower-cased, nothing dropped
	stemAnalyzerName = "corpus_en_stem" // stems that differ from the word
	zhAnalyzerName   = "corpus_zh"
	zh1AnalyzerName  = "corpus_zh1" // single Han characters
	zh2AnalyzerName  = "corpus_zh2" // Han character bigrams
	zhLatinAnalyzer  = "corpus_zh_latin"
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
	// The tokenizers take the segmenter when they first cut a text, not
	// when bleve builds them from a mapping: opening an index then does not
	// wait for the dictionary, which loads meanwhile (Open, write).
	must(registry.RegisterTokenizer(zhTokenizerName, func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
		return zhTokenizer{}, nil
	}))
	must(registry.RegisterTokenizer(latinTokenizer, func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
		return zhTokenizer{nonHan: true}, nil
	}))
	must(registry.RegisterTokenFilter(stemName, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return stemFilter{}, nil
	}))
	must(registry.RegisterTokenizer(hanTokenizerName, func(config map[string]any, _ *registry.Cache) (analysis.Tokenizer, error) {
		n, _ := config["n"].(float64)
		if n != 1 && n != 2 {
			return nil, fmt.Errorf("%s: n must be 1 or 2, not %v", hanTokenizerName, config["n"])
		}
		return hanTokenizer{n: int(n)}, nil
	}))
	must(registry.RegisterTokenFilter(positionsName, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return positionsOnly{}, nil
	}))
}

// zhTokenizer adapts segment to bleve: terms are the folded (simplified,
// half-width, lower-case) forms; offsets point into the text as written.
// With nonHan it keeps the tokens that are not Han words
// (segment.NonHanTokens), without cutting the Han text. Whoever opens or
// builds an index has loaded the segmenter, or failed with its error
// (Open, write), before anything is cut: a segmenter that cannot load cuts
// nothing here.
type zhTokenizer struct {
	nonHan bool
}

func (t zhTokenizer) Tokenize(text []byte) analysis.TokenStream {
	s, err := segmenter()
	if err != nil {
		return nil
	}
	var toks []segment.Token
	if t.nonHan {
		toks = s.NonHanTokens(string(text))
	} else {
		toks = s.Tokens(string(text))
	}
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

// stem returns the stem of a lower-cased English word: Porter's, then
// derivations.
func stem(word string) string {
	s := string(porterstemmer.StemWithoutLowerCasing([]rune(word)))
	for _, d := range derivations {
		if len(s) > len(d.from)+2 && strings.HasSuffix(s, d.from) {
			return s[:len(s)-len(d.from)] + d.to
		}
	}
	return s
}

// stemFilter replaces each word by its stem and drops the words that are
// their own stem: those are found by their exact form in the "en" field, so
// the "en_stem" field holds only what the exact field does not
// (wordQuery puts the two together).
type stemFilter struct{}

func (stemFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	out := in[:0]
	for _, tk := range in {
		s := stem(string(tk.Term))
		if s == string(tk.Term) {
			continue
		}
		tk.Term = []byte(s)
		out = append(out, tk)
	}
	return out
}

// hanTokenizer cuts the Han characters of a text, folded as segment folds
// them, into n-grams of n characters (1 or 2) that never cross a non-Han
// character. A token's position is the rune index of its first character
// in the folded text plus one, so the bigrams of a run of characters stand
// at consecutive positions and those of two runs never do: a phrase of
// bigrams is a substring, whatever the segmenter made of it.
type hanTokenizer struct{ n int }

// Tokenize cuts what hanKeys cuts, which the substring index is written
// with: queries analysed here find what was indexed there.
func (t hanTokenizer) Tokenize(text []byte) analysis.TokenStream {
	var out analysis.TokenStream
	hanKeys(string(text), t.n, func(key uint64, pos uint32) {
		out = append(out, &analysis.Token{
			Term: []byte(keyTerm(key)),
			// No offsets: nothing reads them (see positionsOnly).
			Position: int(pos),
			Type:     analysis.Ideographic,
		})
	})
	return out
}

// isHan reports whether r is a Han character. Most characters of a text
// are below the first (U+2E80) or in the CJK Unified Ideographs block, all
// Han, which are answered without the table's search (a tenth of the
// substring index's build).
func isHan(r rune) bool {
	switch {
	case r < 0x2e80:
		return false
	case r >= 0x4e00 && r <= 0x9fff:
		return true
	}
	return unicode.Is(unicode.Han, r)
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

// addAnalyzers defines the analyzers of the index's fields in m. The Han
// character and bigram analyzers stay defined where their fields are not
// bleve's: the query side analyses with them.
func addAnalyzers(m *mapping.IndexMappingImpl) error {
	for name, a := range map[string]map[string]any{
		// Every word is kept, stop words too: "the" is a corpus query,
		// and a quoted phrase matches the words as written.
		enAnalyzerName:   {"type": "custom", "tokenizer": foldTokenizerName, "token_filters": []string{en.PossessiveName, lowercase.Name, positionsName}},
		stemAnalyzerName: {"type": "custom", "tokenizer": foldTokenizerName, "token_filters": []string{en.PossessiveName, lowercase.Name, stemName}},
		zhAnalyzerName:   {"type": "custom", "tokenizer": zhTokenizerName, "token_filters": []string{positionsName}},
		zhLatinAnalyzer:  {"type": "custom", "tokenizer": latinTokenizer, "token_filters": []string{positionsName}},
	} {
		if err := m.AddCustomAnalyzer(name, a); err != nil {
			return fmt.Errorf("analyzer %s: %w", name, err)
		}
	}
	for n, name := range map[int]string{1: zh1AnalyzerName, 2: zh2AnalyzerName} {
		if err := m.AddCustomTokenizer(fmt.Sprintf("%s_%d", hanTokenizerName, n), map[string]any{"type": hanTokenizerName, "n": float64(n)}); err != nil {
			return fmt.Errorf("tokenizer %s %d: %w", hanTokenizerName, n, err)
		}
		if err := m.AddCustomAnalyzer(name, map[string]any{"type": "custom", "tokenizer": fmt.Sprintf("%s_%d", hanTokenizerName, n)}); err != nil {
			return fmt.Errorf("analyzer %s: %w", name, err)
		}
	}
	return nil
}

// newMapping returns the index mapping: one document type, "passage".
// With textInBleve the text fields are bleve's (format 8); with
// docValues the keyword fields keep doc values, which bleve's own sorts
// and facet builders read (format 10 and before): tests compare those
// with the one-pass search, which reads the facet table instead.
func newMapping(textInBleve, docValues bool) (*mapping.IndexMappingImpl, error) {
	m := mapping.NewIndexMapping()
	if err := addAnalyzers(m); err != nil {
		return nil, err
	}

	// positions says whether phrase checks read the field's term
	// positions (scorch keeps them with the term vectors, at about a
	// third of a field's size): the stems and single characters are
	// only ever looked up as terms.
	text := func(analyzer string, positions bool) *mapping.FieldMapping {
		f := mapping.NewTextFieldMapping()
		f.Analyzer = analyzer
		f.Store = false // shown from the stored passage record
		f.IncludeTermVectors = positions
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	kw := func() *mapping.FieldMapping {
		f := mapping.NewKeywordFieldMapping()
		f.Store = false
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		f.DocValues = docValues
		return f
	}

	dm := mapping.NewDocumentStaticMapping()
	// The text fields are kept in indexes of our own: the Han characters
	// and bigrams in the substring index (substr.bin, substr.go, since
	// format 9), the words in the word index (words.bin, words.go, since
	// format 10), at a third of the bytes bleve took. Before, they were
	// bleve fields, as tests still build them to compare. The Chinese
	// side's words are looked up as terms: substrings are phrases of zh2's
	// bigrams, and a run's words only weigh its matches (hanQuery); phrases
	// of the Latin words in Chinese text read zh_latin's positions.
	if textInBleve {
		dm.AddFieldMappingsAt(fieldEN, text(enAnalyzerName, true))
		dm.AddFieldMappingsAt(fieldENStem, text(stemAnalyzerName, false))
		dm.AddFieldMappingsAt(fieldZH, text(zhAnalyzerName, false))
		dm.AddFieldMappingsAt(fieldZHLatin, text(zhLatinAnalyzer, true))
		dm.AddFieldMappingsAt(fieldZH1, text(zh1AnalyzerName, false))
		dm.AddFieldMappingsAt(fieldZH2, text(zh2AnalyzerName, true))
	}
	// Positions and year bounds are keyword terms of fixed width, which
	// sort and compare as their numbers do: bleve indexes a number as 16
	// terms (one per precision), and those were 15% of a build's CPU.
	for _, f := range []string{fieldCompany, fieldSpeaker, fieldYear, fieldSection, fieldLang, fieldDoc, fieldPos, fieldYearMin, fieldYearMax} {
		dm.AddFieldMappingsAt(f, kw())
	}
	// The entity fields are only looked up as terms: no doc values, which
	// sorts and facets read.
	for _, f := range []string{fieldEntity, fieldEntityEN, fieldEntityZH} {
		k := kw()
		k.DocValues = false
		dm.AddFieldMappingsAt(f, k)
	}

	m.DefaultMapping = dm
	m.DefaultAnalyzer = keyword.Name
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	return m, nil
}

// Field names in the bleve index; since format 9, zh1 and zh2 are the
// substring index's (substr.go), since format 10 en, en_stem, zh and
// zh_latin the word index's (words.go).
const (
	fieldEN       = "en"       // English words as written, lower-cased
	fieldENStem   = "en_stem"  // their stems, where a stem differs from its word
	fieldZH       = "zh"       // Chinese words as segmented (and Latin words in Chinese text)
	fieldZH1      = "zh1"      // Han characters of the Chinese side
	fieldZH2      = "zh2"      // Han character bigrams of the Chinese side, with positions
	fieldZHLatin  = "zh_latin" // the other words of zh (Latin, numbers), with positions
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
)

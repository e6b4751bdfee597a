package index

import (
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/corpus-dev/corpus/corpus"
)

// foldTokenizerName names the English tokenizer: bleve's Unicode word
// tokenizer over the text folded by corpus.FoldSpans (the one
// normalisation the Chinese side gets in segment), so that "_Open" and
// "O_pen" are the word "open", Ｈｕａｗｅｉ is "huawei", and offsets still
// point into the text as written.
const foldTokenizerName = "corpus_fold_unicode"

func init() {
	err := registry.RegisterTokenizer(foldTokenizerName, func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
		return foldTokenizer{unicode.NewUnicodeTokenizer()}, nil
	})
	if err != nil {
		panic(err)
	}
}

// foldTokenizer folds text, tokenizes the folded text and maps each token
// back to the span of the text as written it comes from.
type foldTokenizer struct{ words analysis.Tokenizer }

func (t foldTokenizer) Tokenize(text []byte) analysis.TokenStream {
	f := corpus.FoldSpans(string(text))
	toks := t.words.Tokenize([]byte(f.Text))
	for _, tk := range toks {
		tk.Start, tk.End = f.Span(tk.Start, tk.End)
	}
	return toks
}

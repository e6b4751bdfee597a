// Package segment turns Chinese and English text into tokens with exact byte
// offsets: the words that index/ puts in bleve and the offsets it highlights.
//
// Chinese is cut into words by gse's dictionary and HMM (accurate mode), after
// folding the text with corpus.FoldSpans (traditional and regional forms to
// simplified, full-width forms to ASCII, mnemonics dropped), so 華為, 华为 and
// ＨＵＡＷＥＩ/Huawei meet in one token each; Latin words and numbers inside
// Chinese text are tokens of their own. Offsets always point into the original
// text, so text[Start:End] is the word as written. Language detection is
// corpus.DetectLang.
//
// segment imports gse, golang.org/x/text and corpus only. It must not import
// bleve, echo, index or web: the bleve tokenizer that wraps it lives in index/.
package segment

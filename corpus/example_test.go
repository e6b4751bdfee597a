package corpus_test

import (
	"fmt"

	"github.com/corpus-dev/corpus/corpus"
)

// DetectLang says which side of the corpus a piece of text belongs to.
func ExampleDetectLang() {
	fmt.Println(corpus.DetectLang("任正非说"), corpus.DetectLang("Ren Zhengfei said"))
	// Output: zh en
}

// The embedded essay is the default corpus: aligned passages with facets.
func ExampleEssay() {
	doc, err := corpus.Essay()
	if err != nil {
		fmt.Println(err)
		return
	}
	p := doc.Passages[1]
	fmt.Println(len(doc.Passages), "passages")
	fmt.Println(p.ID, p.Text.EN != "", p.Text.ZH != "")
	// Output:
	// 79 passages
	// huawei-bytedance-abroad/p001 true true
}

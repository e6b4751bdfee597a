package segment_test

import (
	"fmt"

	"github.com/corpus-dev/corpus/segment"
)

// Tokens cuts mixed text into words with byte offsets into the text as
// written; Chinese words are folded to simplified script.
func ExampleSegmenter_Tokens() {
	s, err := segment.Default()
	if err != nil {
		fmt.Println(err)
		return
	}
	text := "華為的Mate手机"
	for _, t := range s.Tokens(text) {
		fmt.Printf("%s %q %d-%d\n", t.Text, text[t.Start:t.End], t.Start, t.End)
	}
	// Output:
	// 华为 "華為" 0-6
	// 的 "的" 6-9
	// mate "Mate" 9-13
	// 手机 "手机" 13-19
}

package corpus_test

import (
	"fmt"

	"github.com/corpus-dev/corpus/corpus"
)

func ExampleFold() {
	for _, s := range []string{"李開復", "檔案與軟體", "ＨＵＡＷＥＩ", "_Open", "打开(_O)", "方程式"} {
		fmt.Println(corpus.Fold(s))
	}
	// Output:
	// 李开复
	// 文件与软件
	// HUAWEI
	// Open
	// 打开
	// 方程式
}

func ExampleFoldSpans() {
	text := "記憶體不足，請關閉程式"
	f := corpus.FoldSpans(text)
	fmt.Println(f.Text)
	// The folded word 内存 comes from 記憶體 as written.
	start, end := f.Span(0, len("内存"))
	fmt.Println(text[start:end])
	// Output:
	// 内存不足,请关闭程式
	// 記憶體
}

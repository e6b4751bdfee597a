package index_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/corpus-dev/corpus/corpus"
	"github.com/corpus-dev/corpus/index"
)

// Build writes a new generation of the index into a data folder; Open
// reads one, and Search answers a query with hits and facets.
func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "corpus-example-")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)

	doc, err := corpus.Essay()
	if err != nil {
		fmt.Println(err)
		return
	}
	gaz, err := corpus.DefaultGazetteer()
	if err != nil {
		fmt.Println(err)
		return
	}
	st, err := index.Build(ctx, dir, []*corpus.Document{doc}, gaz, index.BuildOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	ix, err := index.Open(filepath.Join(dir, st.Generation))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ix.Close()

	res, err := ix.Search(ctx, index.Query{Text: `"iron curtain"`, Lang: corpus.English, Size: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Total, "passages say \"iron curtain\"; the first is", res.Hits[0].Passage.ID)
	// Output: 4 passages say "iron curtain"; the first is huawei-bytedance-abroad/p059
}

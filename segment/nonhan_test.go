package segment

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNonHanTokens checks NonHanTokens against Tokens on real mixed text
// (the essay's Chinese side, the zh_CN message catalogues, gse's novel) and
// on edge cases: the same words, offsets and scripts, in the same order, and
// two of them at consecutive positions exactly when they are in Tokens.
func TestNonHanTokens(t *testing.T) {
	s := segmenter(t)
	texts := []string{
		"iPhone手机和Mate60 Pro", "T恤 3D打印 卡拉OK", "ＨＵＡＷＥＩ和 打开(_O) Open", "5G，6G。v1.2 版本",
		"中文", "", "a b", "a 中 b", "한국어 日本語 テスト x", "①②③ 二〇二〇 2020年",
	}
	files, _ := filepath.Glob("/usr/share/locale/zh_CN/LC_MESSAGES/*.mo")
	for _, f := range append(files, "../corpus/data/essay.zh.txt",
		filepath.Join(moduleDir("github.com/go-ego/gse"), "testdata/zh/bailuyuan_zh.txt")) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Logf("skip %s: %v", f, err)
			continue
		}
		texts = append(texts, strings.Split(string(b), "\n")...)
	}
	if len(texts) < 1000 {
		t.Fatalf("only %d texts: real text missing", len(texts))
	}
	checked := 0
	for _, text := range texts {
		var all []Token
		var prev []bool // prev[i]: all[i] follows a non-Han token at the position before
		last := -1
		for _, tk := range s.Tokens(text) {
			if tk.Script != Han {
				prev = append(prev, last >= 0 && tk.Position == last+1)
				all = append(all, tk)
				last = tk.Position
			}
		}
		got := s.NonHanTokens(text)
		if len(got) != len(all) {
			t.Fatalf("%q: %d tokens, want %d (%v, %v)", text, len(got), len(all), got, all)
		}
		for i, g := range got {
			w := all[i]
			if g.Text != w.Text || g.Start != w.Start || g.End != w.End || g.Script != w.Script {
				t.Fatalf("%q: token %d is %+v, want %+v", text, i, g, w)
			}
			if adj := i > 0 && g.Position == got[i-1].Position+1; adj != prev[i] {
				t.Fatalf("%q: token %d (%s) consecutive %v, in Tokens %v", text, i, g.Text, adj, prev[i])
			}
			checked++
		}
	}
	t.Logf("%d texts, %d tokens", len(texts), checked)
	if checked < 1000 {
		t.Fatalf("only %d tokens checked", checked)
	}
}

package corpus

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"華為", "华为"},
		{"字節跳動", "字节跳动"},
		{"臺積電", "台积电"},
		{"台積電", "台积电"},
		// Characters the hand-made table lacked.
		{"李開復", "李开复"},
		{"時代週刊", "时代周刊"},
		{"恢復", "恢复"},
		// Taiwan and Hong Kong vocabulary (tw2sp, hk2s).
		{"檔案", "文件"},
		{"軟體", "软件"},
		{"考克斯通訊", "考克斯通信"},
		{"記憶體不足", "内存不足"},
		{"隨身碟", "U盘"},
		// Simplified text is left as it is, also where a Taiwan word is
		// written with the same characters (程式) or a character is a
		// regional variant (著, 么).
		{"字节跳动创始人张一鸣表示公司将继续投资。", "字节跳动创始人张一鸣表示公司将继续投资。"},
		{"著名的方程式与什么", "著名的方程式与什么"},
		{"乾隆年間", "乾隆年间"},
		{"乾燥", "干燥"},
		// Width.
		{"ＡＢＣ１２３！", "ABC123!"},
		{"华为\u3000Huawei", "华为 Huawei"},
		{"ｶﾀｶﾅ", "カタカナ"},
		// Mnemonics.
		{"_Open", "Open"},
		{"O_pen", "Open"},
		{"Save _As…", "Save As…"},
		{"&Open", "Open"},
		{"打开(_O)", "打开"},
		{"打开(&O)...", "打开..."},
		{"文件（_F）", "文件"},
		{"打開(_O)", "打开"},
		// Not mnemonics.
		{"MAX_PATH", "MAX_PATH"},
		{"max_path_len", "max_path_len"},
		{"__init__", "__init__"},
		{"x_1", "x_1"},
		{"hot_standby pg_control", "hot_standby pg_control"},
		{"Cu_t P_ause", "Cut Pause"},
		{"AT&T R&D", "AT&T R&D"},
		{"a=1&b=2", "a=1&b=2"},
		{"&amp; &#39;", "&amp; &#39;"},
		{"(_)", "(_)"},
		{"Tom & Jerry", "Tom & Jerry"},
		{"Ren Zhengfei, café", "Ren Zhengfei, café"},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestFoldSpan pins where words of folded text are in the text as written.
func TestFoldSpan(t *testing.T) {
	tests := []struct {
		in, word, orig string // word of the folded text, and what Span gives
	}{
		{"李開復說", "李开复", "李開復"},
		{"存到隨身碟裡", "U", "隨身碟"},
		{"存到隨身碟裡", "盘", "隨身碟"},
		{"存到隨身碟裡", "里", "裡"},
		{"記憶體不足", "内存", "記憶體"},
		{"記憶體不足", "存不", "記憶體不"},
		{"記憶體不足", "不足", "不足"},
		{"_Open", "Open", "Open"},
		{"O_pen", "Open", "O_pen"},
		{"打开(_O)", "打开", "打开"},
		{"打开(_O)文件", "文件", "文件"},
		{"打开(_O)文件", "打开文件", "打开(_O)文件"},
		{"ＨＵＡＷＥＩ Mate", "HUAWEI", "ＨＵＡＷＥＩ"},
		{"ＨＵＡＷＥＩ Mate", "UAW", "ＵＡＷ"},
		{"ＨＵＡＷＥＩ Mate", "Mate", "Mate"},
		{"華為", "为", "為"},
	}
	for _, tt := range tests {
		f := FoldSpans(tt.in)
		a := strings.Index(f.Text, tt.word)
		if a < 0 {
			t.Errorf("FoldSpans(%q).Text = %q, without %q", tt.in, f.Text, tt.word)
			continue
		}
		s, e := f.Span(a, a+len(tt.word))
		if got := tt.in[s:e]; got != tt.orig {
			t.Errorf("FoldSpans(%q).Span of %q = %d:%d %q, want %q", tt.in, tt.word, s, e, got, tt.orig)
		}
	}
}

func TestRegionalForms(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"考克斯通讯", []string{"考克斯通信"}},
		{"考克斯通信", []string{"考克斯通讯"}},
		{"中兴通讯", []string{"中兴通信"}},
		{"华为", nil},
		{"", nil},
	}
	for _, tt := range tests {
		if got := RegionalForms(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("RegionalForms(%q) = %q, want %q", tt.in, got, tt.want)
		}
		// What the regional form stands for folds to it.
		for _, f := range RegionalForms(tt.in) {
			if Fold(f) != f {
				t.Errorf("RegionalForms(%q) gives %q, which folds to %q", tt.in, f, Fold(f))
			}
		}
	}
	if Fold("考克斯通訊") != RegionalForms(Fold("考克斯通讯"))[0] {
		t.Errorf("the Taiwan spelling of 考克斯通讯 folds to %q, not to its regional form %q", Fold("考克斯通訊"), RegionalForms("考克斯通讯"))
	}
}

// TestFoldTables checks the generated tables: sorted, and folding their
// values changes nothing (Fold is idempotent on script).
func TestFoldTables(t *testing.T) {
	if openccVersion == "" {
		t.Error("openccVersion is empty")
	}
	if len(foldChars) < 4000 || len(foldPhrases) < 300 || len(foldRegional) < 200 {
		t.Errorf("tables of %d characters, %d phrases, %d regional words: want about 4,100, 550 and 350",
			len(foldChars), len(foldPhrases), len(foldRegional))
	}
	tb := tables()
	for i, c := range foldChars {
		if i > 0 && foldChars[i-1].from >= c.from {
			t.Errorf("foldChars[%d] = %U after %U: not sorted", i, c.from, foldChars[i-1].from)
		}
		if c.from == c.to {
			t.Errorf("foldChars maps %c to itself", c.from)
		}
		if s := tb.char(c.to); s != c.to {
			t.Errorf("foldChars maps %c → %c → %c: not idempotent", c.from, c.to, s)
		}
	}
	for i, p := range foldPhrases {
		if i > 0 && foldPhrases[i-1].from >= p.from {
			t.Errorf("foldPhrases[%d] = %q after %q: not sorted", i, p.from, foldPhrases[i-1].from)
		}
		if got := Fold(p.from); got != p.to {
			t.Errorf("Fold(%q) = %q, want the table's %q", p.from, got, p.to)
		}
		if got := Fold(p.to); got != p.to {
			t.Errorf("Fold(%q) = %q: the value of %q is not folded", p.to, got, p.from)
		}
	}
	for _, p := range foldRegional {
		if got := Fold(p.from); got != p.from {
			t.Errorf("regional key %q folds to %q: want simplified text", p.from, got)
		}
	}
}

func FuzzFold(f *testing.F) {
	for _, in := range []string{"華為ＡＢＣ", "字节跳动", "a\xffb", "\u3000", "記憶體不足", "隨身碟", "打开(_O)", "O_pen &Open", "(（_Ｏ）", "乾隆年間"} {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		fs := FoldSpans(in)
		if fs.Text != Fold(in) {
			t.Fatalf("FoldSpans(%q).Text = %q, Fold = %q", in, fs.Text, Fold(in))
		}
		// Every rune of the folded text maps to a span of whole runes of
		// in, in order.
		boundary := make([]bool, len(in)+1)
		for i := range in {
			boundary[i] = true
		}
		boundary[len(in)] = true
		prevS, prevE := 0, 0
		for a := 0; a < len(fs.Text); {
			_, size := utf8.DecodeRuneInString(fs.Text[a:])
			s, e := fs.Span(a, a+size)
			if s < prevS || e < prevE || s > e || e > len(in) || !boundary[s] || !boundary[e] {
				t.Fatalf("FoldSpans(%q): folded rune at %d maps to %d:%d (previous %d:%d)", in, a, s, e, prevS, prevE)
			}
			if s == e {
				t.Fatalf("FoldSpans(%q): folded rune %q at %d comes from nothing", in, fs.Text[a:a+size], a)
			}
			// The span is made of whole blocks: folding the text before
			// it, it and the text after it gives the folded text, the
			// rune inside the middle part. (Mnemonic rules look around
			// the mark, so this holds without them.)
			if !strings.ContainsAny(in, "_&") && len(in) < 4096 {
				mid := Fold(in[s:e])
				if Fold(in[:s])+mid+Fold(in[e:]) != fs.Text || !strings.Contains(mid, fs.Text[a:a+size]) {
					t.Fatalf("FoldSpans(%q): rune %q at %d maps to %d:%d %q, which folds to %q: not a span of whole blocks", in, fs.Text[a:a+size], a, s, e, in[s:e], mid)
				}
			}
			prevS, prevE = s, e
			a += size
		}
		// The whole folded text covers the text but for dropped mnemonics.
		if s, e := fs.Span(0, len(fs.Text)); s < 0 || e > len(in) || s > e {
			t.Fatalf("FoldSpans(%q).Span(0, %d) = %d:%d", in, len(fs.Text), s, e)
		}
		if !strings.ContainsAny(in, "_&") && Fold(fs.Text) != fs.Text {
			t.Errorf("Fold(Fold(%q)) = %q, want %q: not idempotent", in, Fold(fs.Text), fs.Text)
		}
	})
}

// BenchmarkFoldSpans folds real prose: gse's novel (simplified; never
// committed here), the same written in traditional characters (each
// character replaced by a traditional one that folds to it) and the essay's
// English.
func BenchmarkFoldSpans(b *testing.B) {
	novel := ""
	if out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/go-ego/gse").Output(); err == nil {
		data, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "testdata/zh/bailuyuan_zh.txt"))
		if err == nil {
			novel = string(data)
		}
	}
	trad := make(map[rune]rune)
	for _, c := range foldChars {
		if _, ok := trad[c.to]; !ok {
			trad[c.to] = c.from
		}
	}
	en, err := os.ReadFile("data/essay.en.txt")
	if err != nil {
		b.Fatal(err)
	}
	for _, bm := range []struct{ name, text string }{
		{"novel-zh", novel},
		{"novel-zh-hant", strings.Map(func(r rune) rune {
			if t, ok := trad[r]; ok {
				return t
			}
			return r
		}, novel)},
		{"essay-en", string(en)},
	} {
		if bm.text == "" {
			b.Logf("skip %s: no text", bm.name)
			continue
		}
		b.Run(bm.name, func(b *testing.B) {
			b.SetBytes(int64(len(bm.text)))
			for b.Loop() {
				FoldSpans(bm.text)
			}
		})
	}
}

// BenchmarkFoldTables measures building the tables, which the first fold
// of a process pays, and reports the heap they keep.
func BenchmarkFoldTables(b *testing.B) {
	var heap uint64
	for b.Loop() {
		b.StopTimer()
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		b.StartTimer()
		t := buildTables()
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&after)
		heap = after.HeapAlloc - before.HeapAlloc
		runtime.KeepAlive(t)
		b.StartTimer()
	}
	b.ReportMetric(float64(heap)/(1<<10), "KiB-heap")
}

// TestWidthRunes checks that the runes buildTables flags for width are all
// the runes width folding changes from U+3000 on.
func TestWidthRunes(t *testing.T) {
	tb := tables()
	for r := rune(0x3000); r < 0x10000; r++ {
		if changes := foldWidthRune(r) != r; changes != (tb.flag[r]&flagWidth != 0) {
			t.Errorf("%U: width folding changes it: %v, flagged: %v", r, changes, !changes)
		}
	}
}

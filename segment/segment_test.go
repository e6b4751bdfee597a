package segment

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/corpus-dev/corpus/corpus"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// gazetteer stands in for the Chinese names of corpus's entity gazetteer.
var gazetteer = []string{"字节跳动", "张一鸣", "任正非", "今日头条", "胡厚崑", "蓬佩奥", "华为", "孟晚舟", "迈克·蓬佩奥"}

// testSeg is the segmenter every test shares: the dictionary takes a few
// tenths of a second (more under -race) and about 27 MiB to load. It is
// Default's, so the tests also cover what the index uses.
var testSeg = sync.OnceValues(func() (*Segmenter, error) {
	s, err := Default()
	if err != nil {
		return nil, err
	}
	return s, s.AddWords(gazetteer)
})

func segmenter(tb testing.TB) *Segmenter {
	tb.Helper()
	s, err := testSeg()
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// tok builds an expected token; Position is filled in by want.
func tok(text string, start, end int, sc Script) Token {
	return Token{Text: text, Start: start, End: end, Script: sc}
}

func want(toks ...Token) []Token {
	for i := range toks {
		toks[i].Position = i + 1
	}
	return toks
}

func TestTokens(t *testing.T) {
	s := segmenter(t)
	tests := []struct {
		name, in string
		want     []Token
	}{
		{"empty", "", nil},
		{"punctuation only", "！？。…，、 \t\n🙂", nil},
		{"one word zh", "中文", want(tok("中文", 0, 6, Han))},
		{"one word en", "tokens", want(tok("tokens", 0, 6, Latin))},
		{"mixed", "TikTok在美国的业务", want(
			tok("tiktok", 0, 6, Latin), tok("在", 6, 9, Han), tok("美国", 9, 15, Han),
			tok("的", 15, 18, Han), tok("业务", 18, 24, Han))},
		{"gazetteer", "字节跳动创始人张一鸣表示", want(
			tok("字节跳动", 0, 12, Han), tok("创始人", 12, 21, Han),
			tok("张一鸣", 21, 30, Han), tok("表示", 30, 36, Han))},
		{"gazetteer short", "任正非说", want(tok("任正非", 0, 9, Han), tok("说", 9, 12, Han))},
		{"gazetteer rare characters", "胡厚崑会见蓬佩奥", want(
			tok("胡厚昆", 0, 9, Han), tok("会见", 9, 15, Han), tok("蓬佩奥", 15, 24, Han))},
		{"gazetteer with middle dot", "迈克·蓬佩奥说", want(
			tok("迈克", 0, 6, Han), tok("蓬佩奥", 8, 17, Han), tok("说", 17, 20, Han))},
		{"traditional", "字節跳動創始人張一鳴", want(
			tok("字节跳动", 0, 12, Han), tok("创始人", 12, 21, Han), tok("张一鸣", 21, 30, Han))},
		{"full-width changes byte lengths", "ＡＢＣ１２３是Ｍａｔｅ６０", want(
			tok("abc123", 0, 18, Latin), tok("是", 18, 21, Han), tok("mate60", 21, 39, Latin))},
		{"full-width space and punctuation", "华为　Ｈｕａｗｅｉ！", want(
			tok("华为", 0, 6, Han), tok("huawei", 9, 27, Latin))},
		{"english", "Huawei's founder, Ren Zhengfei.", want(
			tok("huawei", 0, 6, Latin), tok("s", 7, 8, Latin), tok("founder", 9, 16, Latin),
			tok("ren", 18, 21, Latin), tok("zhengfei", 22, 30, Latin))},
		{"numbers", "2023年增长3.5%，达1,000", want(
			tok("2023", 0, 4, Digit), tok("年", 4, 7, Han), tok("增长", 7, 13, Han),
			tok("3.5", 13, 16, Digit), tok("达", 20, 23, Han), tok("1", 23, 24, Digit), tok("000", 25, 28, Digit))},
		{"number ends with a point", "5G.", want(tok("5g", 0, 2, Latin))},
		{"combining mark", "cafe\u0301 Café", want(tok("cafe\u0301", 0, 6, Latin), tok("café", 7, 12, Latin))},
		// Letters of scripts other than Han and Latin make one word together.
		{"other scripts", "トヨタ와Москва", want(tok("トヨタ와москва", 0, 24, Other))},
		{"latin next to other script", "LINEアプリ", want(tok("line", 0, 4, Latin), tok("アプリ", 4, 13, Other))},
		{"invalid utf-8", "华为\xff\xfeHuawei\xe4\xb8", want(tok("华为", 0, 6, Han), tok("huawei", 8, 14, Latin))},
	}
	for _, tt := range tests {
		got := s.Tokens(tt.in)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: Tokens(%q) mismatch (-want +got):\n%s", tt.name, tt.in, diff)
		}
		if err := tokensError(tt.in, got); err != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
}

// TestGazetteerWhole checks that names added with AddWords come out whole in
// sentences where gse alone splits them or glues them to a neighbour.
func TestGazetteerWhole(t *testing.T) {
	s := segmenter(t)
	tests := []struct{ in, name string }{
		{"字节跳动创始人张一鸣表示", "字节跳动"},
		{"字节跳动创始人张一鸣表示", "张一鸣"},
		{"任正非说", "任正非"},
		{"我在今日头条上看到", "今日头条"},
		{"胡厚崑承诺", "胡厚昆"}, // OpenCC folds 崑 to 昆, in the name added too
		{"蓬佩奥表示", "蓬佩奥"},
		{"字節跳動創始人", "字节跳动"},
		{"孟晚舟回国", "孟晚舟"},
	}
	for _, tt := range tests {
		toks := s.Tokens(tt.in)
		found := false
		for _, tk := range toks {
			found = found || tk.Text == tt.name
		}
		if !found {
			t.Errorf("Tokens(%q) = %v, want %s as one token", tt.in, toks, tt.name)
		}
	}
}

func TestDefault(t *testing.T) {
	s := segmenter(t)
	d, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if d != s {
		t.Errorf("Default() = %p, then %p: want one segmenter per process", s, d)
	}
}

// goldenInputs are tokenized into testdata/tokens.golden, which shows each
// token with the text it covers; review changes with git diff after -update.
var goldenInputs = []string{
	"字节跳动创始人张一鸣表示，公司将继续在海外投资。",
	"任正非说：“华为不会卖掉5G业务。”",
	"2019年5月，美国商务部将华为列入实体清单。",
	"孟晚舟在加拿大温哥华被捕，引发中美外交风波。",
	"今日头条和抖音都是字节跳动的产品；TikTok是抖音的海外版。",
	"華為與聯想、騰訊、臺積電和鴻海都是大公司。",
	"台積電的晶片供應受到影響",
	"Ｈｕａｗｅｉ　Ｍａｔｅ６０　Ｐｒｏ于２０２３年８月发布",
	"In 2020, the Trump administration ordered ByteDance to sell TikTok's U.S. business.",
	"Ren Zhengfei (任正非) founded Huawei in Shenzhen in 1987.",
	"iPhone 15 Pro Max今天正式发布，售价7999元起。",
	"中文",
	"第一章\n\n白嘉轩后来引以豪壮的是一生里娶过七房女人。",
	// Script and regional variants: OpenCC's tw2sp and hk2s through
	// corpus.Fold. Offsets stay on the text as written where a phrase
	// changes length (記憶體 → 内存, 隨身碟 → U盘).
	"李開復在《時代週刊》談到考克斯通訊",
	"請把檔案存到隨身碟，記憶體不足時軟體會當機。",
	"著名的方程式與乾隆皇帝",
	// GTK and Windows mnemonics are dropped; tokens cover the label as written.
	"_Open O_pen &Open 打开(_O) 文件（&F） MAX_PATH AT&T",
}

func TestTokensGolden(t *testing.T) {
	s := segmenter(t)
	var b strings.Builder
	for _, in := range goldenInputs {
		fmt.Fprintf(&b, "== %q\n", in)
		for _, tk := range s.Tokens(in) {
			fmt.Fprintf(&b, "%d\t%d:%d\t%s\t%s", tk.Position, tk.Start, tk.End, tk.Script, tk.Text)
			if orig := in[tk.Start:tk.End]; orig != tk.Text {
				fmt.Fprintf(&b, "\t(%s)", orig)
			}
			b.WriteByte('\n')
		}
	}
	golden(t, "tokens.golden", b.String())
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(tb testing.TB, name, got string) {
	tb.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	w, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(w), got); diff != "" {
		tb.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

func TestTokensLongRuns(t *testing.T) {
	s := segmenter(t)
	tests := []struct {
		name, unit string
		repeat     int
	}{
		// Not in the dictionary: every character goes to the HMM.
		{"unknown characters", "龘", 16000},
		// Dictionary words whose chunk boundaries fall inside a name.
		{"sentence without punctuation", "字节跳动创始人张一鸣表示", 16000 / 12},
	}
	for _, tt := range tests {
		in := strings.Repeat(tt.unit, tt.repeat)
		start := time.Now()
		toks := s.Tokens(in)
		t.Logf("%s: %d runes, %d tokens in %v", tt.name, utf8.RuneCountInString(in), len(toks), time.Since(start))
		if err := tokensError(in, toks); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		// Tokens must tile the input: it has no separators.
		end := 0
		for _, tk := range toks {
			if tk.Start != end {
				t.Fatalf("%s: token %+v starts at %d, want %d (gap or overlap)", tt.name, tk, tk.Start, end)
			}
			end = tk.End
		}
		if end != len(in) {
			t.Errorf("%s: tokens end at %d, want %d", tt.name, end, len(in))
		}
		if tt.unit == "字节跳动创始人张一鸣表示" {
			count := map[string]int{}
			for _, tk := range toks {
				count[tk.Text]++
			}
			for _, w := range []string{"字节跳动", "张一鸣"} {
				if count[w] != tt.repeat {
					t.Errorf("%s: %d tokens %s, want %d (a chunk boundary split it)", tt.name, count[w], w, tt.repeat)
				}
			}
		}
	}
}

func TestAddWords(t *testing.T) {
	s := segmenter(t)
	const in = "据报道甲乙丙丁戊公司成立"
	const word = "甲乙丙丁戊"
	has := func() bool {
		for _, tk := range s.Tokens(in) {
			if tk.Text == word {
				return true
			}
		}
		return false
	}
	if has() {
		t.Fatalf("Tokens(%q) has %s before AddWords: pick a word gse does not know", in, word)
	}
	// Traditional and full-width input is folded before it is added.
	if err := s.AddWords([]string{"甲乙丙丁戊", "", "Ｘ", "A股"}); err != nil {
		t.Fatal(err)
	}
	if !has() {
		t.Errorf("Tokens(%q) = %v, want %s whole after AddWords", in, s.Tokens(in), word)
	}
	// Words the dictionary had at a low frequency are raised.
	for _, w := range []string{"张一鸣", "任正非"} {
		if f, ok := s.dict.lookup(w); !ok || f < addedFreq {
			t.Errorf("frequency of %s = %v (found %v), want >= %d", w, f, ok, addedFreq)
		}
	}
	if err := s.AddWords([]string{"騰訊控股"}); err != nil {
		t.Fatal(err)
	}
	if f, ok := s.dict.lookup("腾讯控股"); !ok || f < addedFreq {
		t.Errorf("AddWords(騰訊控股): frequency of 腾讯控股 = %v (found %v), want >= %d", f, ok, addedFreq)
	}
}

// TestConcurrent runs Tokens and AddWords together for the race detector.
func TestConcurrent(t *testing.T) {
	s := segmenter(t)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 20 {
				if g == 0 && i%5 == 0 {
					if err := s.AddWords([]string{fmt.Sprintf("并发测试词%c", '甲'+rune(i))}); err != nil {
						t.Error(err)
					}
				}
				in := goldenInputs[i%len(goldenInputs)]
				if err := tokensError(in, s.Tokens(in)); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
}

func TestScriptString(t *testing.T) {
	for sc, want := range map[Script]string{Han: "han", Latin: "latin", Digit: "digit", Other: "other", 9: "Script(9)"} {
		if got := sc.String(); got != want {
			t.Errorf("Script(%d).String() = %q, want %q", uint8(sc), got, want)
		}
	}
}

func FuzzTokens(f *testing.F) {
	for _, in := range goldenInputs {
		f.Add(in)
	}
	s := segmenter(f)
	f.Fuzz(func(t *testing.T, in string) {
		if err := tokensError(in, s.Tokens(in)); err != nil {
			t.Fatal(err)
		}
	})
}

// tokensError checks the invariants of Tokens' result on any input: offsets
// on rune boundaries within the text, in order (tokens folded from one
// phrase may share its span), positions 1, 2, 3..., Text the lower-cased
// fold of some of the text it covers, and every letter and digit of the
// folded text inside some token. It returns the first violation.
func tokensError(in string, toks []Token) error {
	covered := make([]bool, len(in)+1)
	// boundary[i]: a rune starts at byte i as range decodes in, invalid bytes
	// counting as one rune each; len(in) is a boundary too.
	boundary := make([]bool, len(in)+1)
	for i := range in {
		boundary[i] = true
	}
	boundary[len(in)] = true
	prevStart, prevEnd := 0, 0
	for i, tk := range toks {
		if tk.Position != i+1 {
			return fmt.Errorf("Tokens(%q)[%d].Position = %d, want %d", in, i, tk.Position, i+1)
		}
		if tk.Start < prevStart || tk.End < prevEnd || tk.End <= tk.Start || tk.End > len(in) {
			return fmt.Errorf("Tokens(%q)[%d] = %+v: offsets out of order or range (previous %d:%d, len %d)", in, i, tk, prevStart, prevEnd, len(in))
		}
		orig := in[tk.Start:tk.End]
		if !utf8.ValidString(orig) || !boundary[tk.Start] || !boundary[tk.End] {
			return fmt.Errorf("Tokens(%q)[%d] = %+v: text %q not valid UTF-8 on rune boundaries", in, i, tk, orig)
		}
		if folded := strings.ToLower(corpus.Fold(orig)); !strings.Contains(folded, tk.Text) {
			return fmt.Errorf("Tokens(%q)[%d].Text = %q, not in %q (folded %q)", in, i, tk.Text, folded, orig)
		}
		for j := tk.Start; j < tk.End; j++ {
			covered[j] = true
		}
		prevStart, prevEnd = tk.Start, tk.End
	}
	f := corpus.FoldSpans(in)
	for i := 0; i < len(f.Text); {
		r, size := utf8.DecodeRuneInString(f.Text[i:])
		start, end := f.Span(i, i+size)
		i += size
		if c := classify(r); c != sepClass && c != markClass && start < end && !covered[start] {
			return fmt.Errorf("Tokens(%q) = %v: %q (folded %q) at byte %d is in no token", in, toks, in[start:end], r, start)
		}
	}
	return nil
}

// moduleDir returns the directory of a module in the module cache, or "".
func moduleDir(path string) string {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", path).Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// heapInUse returns the live heap after a collection.
func heapInUse() int64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}

func BenchmarkTokens(b *testing.B) {
	s := segmenter(b)
	for _, bm := range []struct{ name, file string }{
		// A novel shipped with gse's source: long real prose, never committed here.
		{"novel-zh", filepath.Join(moduleDir("github.com/go-ego/gse"), "testdata/zh/bailuyuan_zh.txt")},
		// The embedded corpus's essay, in both languages.
		{"essay-zh", "../corpus/data/essay.zh.txt"},
		{"essay-en", "../corpus/data/essay.en.txt"},
	} {
		data, err := os.ReadFile(bm.file)
		if err != nil {
			b.Logf("skip %s: %v", bm.name, err)
			continue
		}
		// A quarter of a megabyte, cut at a line end, keeps an iteration short.
		text := string(data)
		if len(text) > 256<<10 {
			text = text[:strings.LastIndexByte(text[:256<<10], '\n')+1]
		}
		b.Run(bm.name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				s.Tokens(text)
			}
		})
	}
}

// BenchmarkNew measures loading the dictionary and reports the heap it keeps.
func BenchmarkNew(b *testing.B) {
	var heap float64
	for b.Loop() {
		before := heapInUse()
		s, err := New(gazetteer)
		if err != nil {
			b.Fatal(err)
		}
		heap = float64(heapInUse()-before) / (1 << 20)
		s.Tokens("中文")
	}
	b.ReportMetric(heap, "MiB-heap")
}

package segment

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"華為", "华为"},
		{"聯想", "联想"},
		{"字節跳動", "字节跳动"},
		{"張一鳴", "张一鸣"},
		{"騰訊", "腾讯"},
		{"臺積電", "台积电"},
		{"台積電", "台积电"},
		{"鴻海", "鸿海"},
		{"戰爭之後", "战争之后"},
		{"開會於臺北", "开会于台北"},
		{"薴麻", "苎麻"}, // a chain in Unihan: 薴 → 苧 → 苎
		// Full-width forms become ASCII; case is kept.
		{"ＡＢＣ１２３", "ABC123"},
		{"ｈｕａｗｅｉ！＃（）", "huawei!#()"},
		{"华为\u3000Huawei", "华为 Huawei"},
		// Simplified text and characters simplified text writes as they are.
		{"字节跳动创始人张一鸣表示公司将继续投资。", "字节跳动创始人张一鸣表示公司将继续投资。"},
		{"表示，公司", "表示,公司"},
		{"乾隆著名覆盖了解玛瑙大阪哪吒老幺", "乾隆著名覆盖了解玛瑙大阪哪吒老幺"},
		{"胡厚崑", "胡厚崑"},
		// Characters with two everyday simplified forms are left alone.
		{"餘鍾", "餘鍾"},
		{"Ren Zhengfei, café", "Ren Zhengfei, café"},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestT2STable checks the generated table: sorted, one rune to another, and
// idempotent (no simplified form is itself mapped), which Fold relies on.
func TestT2STable(t *testing.T) {
	if unihanVersion == "" {
		t.Error("unihanVersion is empty")
	}
	if len(t2sTable) < 2000 {
		t.Errorf("t2sTable has %d entries, want the ~2,600 of Unihan", len(t2sTable))
	}
	for i, p := range t2sTable {
		if i > 0 && t2sTable[i-1].trad >= p.trad {
			t.Errorf("t2sTable[%d] = %U after %U: not sorted", i, p.trad, t2sTable[i-1].trad)
		}
		if p.trad == p.simp {
			t.Errorf("t2sTable maps %c to itself", p.trad)
		}
		if s := simplified(p.simp); s != p.simp {
			t.Errorf("t2sTable maps %c → %c → %c: not idempotent", p.trad, p.simp, s)
		}
	}
}

// TestFoldKeepsSimplifiedDictionary folds every word of gse's simplified
// dictionary: almost none may change, or Fold would corrupt simplified text.
// The few that do use rare variant characters (鉨, 於 as a surname).
func TestFoldKeepsSimplifiedDictionary(t *testing.T) {
	s := segmenter(t)
	var changed []string
	words := 0
	for w, freq := range s.dict.all() {
		if freq == 0 {
			continue // a prefix of words, not a word
		}
		words++
		if f := Fold(w); f != w {
			changed = append(changed, w+"→"+f)
		}
	}
	slices.Sort(changed)
	t.Logf("%d of %d dictionary words change under Fold: %v", len(changed), words, changed)
	if len(changed) > 20 {
		t.Errorf("%d dictionary words change under Fold, want at most 20: %v", len(changed), changed)
	}
}

func FuzzFold(f *testing.F) {
	for _, in := range []string{"華為ＡＢＣ", "字节跳动", "a\xffb", "\u3000", "薴"} {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := Fold(in)
		if !utf8.ValidString(in) {
			in = strings.ToValidUTF8(in, "\uFFFD")
		}
		// strings.ToValidUTF8 merges a run of invalid bytes into one U+FFFD
		// where Fold writes one per byte, so compare rune counts only on
		// valid input.
		if utf8.ValidString(in) && utf8.RuneCountInString(got) < utf8.RuneCountInString(in) {
			t.Errorf("Fold(%q) = %q: fewer runes", in, got)
		}
		if again := Fold(got); again != got {
			t.Errorf("Fold(Fold(%q)) = %q, want %q: not idempotent", in, again, got)
		}
	})
}

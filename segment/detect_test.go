package segment

import (
	"testing"

	"github.com/corpus-dev/corpus/corpus"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		in   string
		want corpus.Lang
	}{
		{"", ""},
		{"2024 — 3.5%", ""},
		{"Москва", ""},
		{"TikTok在美国的业务", corpus.Chinese},
		{"Huawei is a company", corpus.English},
		{"华为 Huawei", corpus.Chinese},
		{"华为", corpus.Chinese},
		{"華為", corpus.Chinese},
		{"huawei", corpus.English},
		{"Ｈｕａｗｅｉ", corpus.English},
		{"iPhone 15 Pro Max今天正式发布", corpus.Chinese},
		{"Ren Zhengfei (任正非) founded Huawei in 1987.", corpus.English},
		{"2019年5月，美国商务部将华为列入实体清单。", corpus.Chinese},
	}
	for _, tt := range tests {
		if got := Detect(tt.in); got != tt.want {
			t.Errorf("Detect(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

package corpus

import (
	"reflect"
	"testing"
)

// TestDetectLangScripts pins the weighing of scripts (see hanWeight).
func TestDetectLangScripts(t *testing.T) {
	tests := []struct {
		in   string
		want Lang
	}{
		{"", ""},
		{"2024 — 3.5%", ""},
		{"Москва", ""},
		{"TikTok在美国的业务", Chinese},
		{"Huawei is a company", English},
		{"华为 Huawei", Chinese},
		{"華為", Chinese},
		{"huawei", English},
		{"Ｈｕａｗｅｉ", English},
		{"iPhone 15 Pro Max今天正式发布", Chinese},
		{"Ren Zhengfei (任正非) founded Huawei in 1987.", English},
		{"2019年5月，美国商务部将华为列入实体清单。", Chinese},
		{"打开(_O)", Chinese},
	}
	for _, tt := range tests {
		if got := DetectLang(tt.in); got != tt.want {
			t.Errorf("DetectLang(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHanRuns(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"abc", nil},
		{"字节跳动", []string{"字节跳动"}},
		{"迈克·蓬佩奥", []string{"迈克", "蓬佩奥"}},
		{"A股市场", []string{"股市场"}},
		{"TikTok在美国", []string{"在美国"}},
	}
	for _, tt := range tests {
		if got := HanRuns(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("HanRuns(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

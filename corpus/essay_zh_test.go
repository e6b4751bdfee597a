package corpus

import (
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestEssayChineseReview pins the fixes of a review of the Chinese side by a
// reader of Chinese (issue 20; data/TRANSLATION.md says why each was made):
// the better wording is there and the error is gone.
func TestEssayChineseReview(t *testing.T) {
	d := testEssay(t)
	tests := []struct {
		passage   int
		want, not []string
	}{
		{46, []string{"思科首当其冲", "起诉状", "21项指控"}, []string{"首先发难", "起诉书", "罪名"}},
		{20, []string{"“5G清洁路径”倡议", "“清洁网络”计划"}, []string{"5G清洁网络"}},
		{25, []string{"另一方面，BAT很短视", "我们应该低空飞行"}, []string{"有些短视"}},
		{26, []string{"这位“科技直男”把仅有的赞美之词给了华为"}, []string{"他把这位"}},
		{42, []string{"张一鸣入选“行业领袖”榜单", "印证了其全球化在世界范围内的地位"}, []string{"体现了其全球化在世界上的地位"}},
		{70, []string{"遭遇了美国政治周期与科技铁幕战略的致命一击"}, []string{"致命地"}},
		{53, []string{"2020年第一季度，华为"}, []string{"截至目前，在2020年Q1", "Q1", "Q2"}},
		{61, []string{"违宪"}, []string{"违法的"}},
	}
	for _, tt := range tests {
		zh := d.Passages[tt.passage].Text.ZH
		for _, w := range tt.want {
			if !strings.Contains(zh, w) {
				t.Errorf("passage p%03d lacks %q:\n%s", tt.passage, w, zh)
			}
		}
		for _, n := range tt.not {
			if strings.Contains(zh, n) {
				t.Errorf("passage p%03d still has %q:\n%s", tt.passage, n, zh)
			}
		}
	}
}

// TestEssayNumbers checks that every number of an English passage is in the
// matching Chinese one, as data/TRANSLATION.md promises: as written, or
// rescaled to 万/亿 ("1.2 billion" = 12亿, "90 million" = 9000万,
// "700 million" = 7亿), "the
// 1990s" as 90年代, "Q1" as 第一季度.
func TestEssayNumbers(t *testing.T) {
	num := regexp.MustCompile(`(?i)\b(?:q([1-4])|(\d+(?:\.\d+)?)(s|th|nd|rd|st|g)?(?:\s+(billion|million))?)\b`)
	quarter := []string{"", "第一季度", "第二季度", "第三季度", "第四季度"}
	for _, p := range testEssay(t).Passages {
		zh := strings.ReplaceAll(p.Text.ZH, ",", "")
		for _, m := range num.FindAllStringSubmatch(p.Text.EN, -1) {
			var forms []string
			switch {
			case m[1] != "":
				n, _ := strconv.Atoi(m[1])
				forms = []string{quarter[n], "Q" + m[1]}
			case m[4] != "":
				f, _ := strconv.ParseFloat(m[2], 64)
				scale, unit := 10.0, "亿"
				if strings.EqualFold(m[4], "million") {
					scale, unit = 100, "万"
				}
				n := f * scale // in 亿 or 万
				forms = []string{strconv.FormatFloat(math.Round(n*10)/10, 'f', -1, 64) + unit}
				if unit == "万" && n >= 10000 { // 700 million = 7亿
					forms = append(forms, strconv.FormatFloat(n/10000, 'f', -1, 64)+"亿")
				}
			case strings.EqualFold(m[3], "s") && len(m[2]) == 4:
				forms = []string{m[2][2:] + "年代"}
			default:
				forms = []string{m[2]}
			}
			found := false
			for _, f := range forms {
				found = found || strings.Contains(zh, f)
			}
			if !found {
				t.Errorf("passage %s: %q of the English is not in the Chinese as %q:\n%s", p.ID, m[0], forms, p.Text.ZH)
			}
		}
	}
}

// TestEssayIssue20Facets pins the essay's facets a reader found wrong or
// missing (issue 20), without hand corrections: who speaks in p024 and
// p036, and which publication p076 and p078 cite.
func TestEssayIssue20Facets(t *testing.T) {
	d := testEssay(t)
	tests := []struct {
		passage           int
		speakers          []string
		entity, notEntity string
	}{
		{24, nil, "Zhang Yiming", ""},                 // paid tribute: no words of his
		{36, []string{"Zhang Yiming"}, "", ""},        // "如果我们不在全球范围内配置资源…"
		{76, nil, "Time magazine", ""},                // 〈时代〉
		{78, nil, "IT Times Weekly", "Time magazine"}, // IT时代周刊
	}
	for _, tt := range tests {
		p := d.Passages[tt.passage]
		if len(p.Corrections) > 0 {
			t.Errorf("passage %s has hand corrections %q", p.ID, whys(p.Corrections))
		}
		if !slices.Equal(p.Speakers, tt.speakers) {
			t.Errorf("passage %s: Speakers = %q, want %q", p.ID, p.Speakers, tt.speakers)
		}
		if tt.entity != "" && !slices.Contains(p.Entities, tt.entity) {
			t.Errorf("passage %s: Entities = %q, want %q among them", p.ID, p.Entities, tt.entity)
		}
		if slices.Contains(p.Entities, tt.notEntity) {
			t.Errorf("passage %s: Entities = %q, want no %q", p.ID, p.Entities, tt.notEntity)
		}
	}
}

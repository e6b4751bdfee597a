package corpus

import (
	"fmt"
	"html"
	"math"
	"math/rand/v2"
	"os"
	"regexp"
	"strings"
	"testing"
)

// essayPairs returns the essay's aligned paragraphs with both sides.
func essayPairs(t testing.TB) (en, zh []string) {
	t.Helper()
	d, err := Essay()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range d.Passages {
		if p.Text.EN != "" && p.Text.ZH != "" {
			en, zh = append(en, p.Text.EN), append(zh, p.Text.ZH)
		}
	}
	return en, zh
}

// TestAlignVariance measures s² on the essay's aligned pair, where every
// paragraph corresponds one to one, and checks alignVariance against it.
func TestAlignVariance(t *testing.T) {
	en, zh := essayPairs(t)
	var se, sz float64
	for i := range en {
		se += float64(alignLen(en[i]))
		sz += float64(alignLen(zh[i]))
	}
	ratio := sz / se
	var v float64
	for i := range en {
		l1, l2 := float64(alignLen(en[i])), float64(alignLen(zh[i]))
		mean := (l1 + l2/ratio) / 2
		v += (l2 - l1*ratio) * (l2 - l1*ratio) / (ratio * max(mean, 1))
	}
	v /= float64(len(en))
	t.Logf("essay: %d pairs, Chinese length %.3f × English (alignLen), s² = %.3f", len(en), ratio, v)
	if v > 2*alignVariance || v < alignVariance/2 {
		t.Errorf("s² on the essay = %.3f, alignVariance = %.3f: re-measure", v, alignVariance)
	}
}

// perturbed is a pair of texts made from an aligned pair by deleting,
// splitting and merging paragraphs, with its true beads.
type perturbed struct {
	en, zh []string
	truth  map[string]bool // beads as "enStart-enEnd:zhStart-zhEnd"
}

func beadKey(b Bead) string {
	return fmt.Sprintf("%d-%d:%d-%d", b.ENStart, b.ENEnd, b.ZHStart, b.ZHEnd)
}

// perturb applies k edits of each kind to the aligned pair en, zh at
// random (seed): a Chinese paragraph deleted (1–0), an English one deleted
// (0–1), a Chinese paragraph split at a sentence end (1–2), two English
// paragraphs merged (2–1), and a run of Chinese paragraphs the English
// lacks appended (a translator's note).
func perturb(en, zh []string, k int, seed uint64) perturbed {
	r := rand.New(rand.NewPCG(seed, 0))
	edit := make([]int, len(en)) // 0 none, 1 del zh, 2 del en, 3 split zh, 4 merge en with next
	for kind := 1; kind <= 4; kind++ {
		for n := 0; n < k; {
			i := r.IntN(len(en) - 1)
			if edit[i] != 0 || (i > 0 && edit[i-1] == 4) || edit[i+1] != 0 {
				continue
			}
			if kind == 3 && !strings.Contains(strings.TrimSuffix(zh[i], "。"), "。") {
				continue
			}
			edit[i] = kind
			n++
		}
	}
	p := perturbed{truth: map[string]bool{}}
	add := func(e, z []string) {
		b := Bead{ENStart: len(p.en), ZHStart: len(p.zh)}
		p.en, p.zh = append(p.en, e...), append(p.zh, z...)
		b.ENEnd, b.ZHEnd = len(p.en), len(p.zh)
		p.truth[beadKey(b)] = true
	}
	for i := 0; i < len(en); i++ {
		switch edit[i] {
		case 0:
			add(en[i:i+1], zh[i:i+1])
		case 1:
			add(en[i:i+1], nil)
		case 2:
			add(nil, zh[i:i+1])
		case 3:
			s := strings.TrimSuffix(zh[i], "。")
			cut := strings.Index(s, "。") + len("。")
			add(en[i:i+1], []string{zh[i][:cut], zh[i][cut:]})
		case 4:
			add([]string{en[i] + " " + en[i+1]}, zh[i:i+2])
			i++
		}
	}
	// A translator's afterword: Chinese paragraphs the English lacks.
	for range k {
		add(nil, []string{"译者附记：" + zh[r.IntN(len(zh))]})
	}
	return p
}

// TestAlignByLengthRestores edits the essay's aligned pair (deleted,
// split and merged paragraphs, an added afterword) and checks that the
// aligner finds the true beads.
func TestAlignByLengthRestores(t *testing.T) {
	en, zh := essayPairs(t)
	var found, total, wrong int
	for seed := uint64(1); seed <= 5; seed++ {
		p := perturb(en, zh, 3, seed)
		beads := AlignByLength(p.en, p.zh)
		hit := 0
		var miss []string
		for _, b := range beads {
			if p.truth[beadKey(b)] {
				hit++
			} else {
				wrong++
				miss = append(miss, fmt.Sprintf("%s %s δ=%.1f", b.Kind(), beadKey(b), b.Delta))
			}
		}
		if testing.Verbose() && len(miss) > 0 {
			t.Logf("seed %d: beads not true: %v", seed, miss)
		}
		found += hit
		total += len(p.truth)
		t.Logf("seed %d: %d en against %d zh paragraphs, %d of %d true beads found, %d beads not true", seed, len(p.en), len(p.zh), hit, len(p.truth), len(beads)-hit)
	}
	acc := float64(found) / float64(total)
	t.Logf("alignment accuracy: %d of %d true beads (%.1f%%), %d wrong beads", found, total, 100*acc, wrong)
	if acc < 0.9 || math.IsNaN(acc) {
		t.Errorf("aligner restores %.1f%% of the true beads, want at least 90%%", 100*acc)
	}
}

// TestAlignByLengthEqual: a pair that corresponds one to one is aligned
// one to one.
func TestAlignByLengthEqual(t *testing.T) {
	en, zh := essayPairs(t)
	beads := AlignByLength(en, zh)
	var bad []string
	for _, b := range beads {
		if b.Kind() != "1-1" || b.ENStart != b.ZHStart {
			bad = append(bad, fmt.Sprintf("%s %s δ=%.1f", b.Kind(), beadKey(b), b.Delta))
		}
	}
	if len(bad) > 0 {
		t.Errorf("AlignByLength(essay) = %d beads, want %d 1-1 beads; wrong: %v", len(beads), len(en), bad)
	}
}

// debianParagraphs reads the paragraphs and headings of a Debian
// Reference chapter in HTML (apt-get install debian-reference-en
// debian-reference-zh-cn), or skips the test without it.
func debianParagraphs(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("no Debian Reference here (apt-get install debian-reference-en debian-reference-zh-cn): %v", err)
	}
	var out []string
	for _, m := range htmlPara.FindAllStringSubmatch(string(b), -1) {
		s := strings.Join(strings.Fields(html.UnescapeString(htmlTag.ReplaceAllString(m[2], ""))), " ")
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

var (
	htmlPara = regexp.MustCompile(`(?s)<(p|h[1-4])(?:\s[^>]*)?>(.*?)</(?:p|h[1-4])>`)
	htmlTag  = regexp.MustCompile(`<[^>]*>`)
)

// TestAlignDebianReference aligns real translations: chapters of the
// Debian Reference in English and Simplified Chinese, whose paragraphs
// correspond one to one (po4a translates paragraph by paragraph), edited
// as the essay is in TestAlignByLengthRestores.
func TestAlignDebianReference(t *testing.T) {
	var found, total int
	for _, ch := range []string{"ch01", "ch02", "ch03", "ch04", "ch05"} {
		en := debianParagraphs(t, "/usr/share/doc/debian-reference-en/docs/"+ch+".en.html")
		zh := debianParagraphs(t, "/usr/share/doc/debian-reference-zh-cn/docs/"+ch+".zh-cn.html")
		if len(en) != len(zh) {
			t.Logf("%s: %d paragraphs against %d: not a one-to-one pair, left out", ch, len(en), len(zh))
			continue
		}
		same := 0
		for _, b := range AlignByLength(en, zh) {
			if b.Kind() == "1-1" && b.ENStart == b.ZHStart {
				same++
			}
		}
		for seed := uint64(1); seed <= 3; seed++ {
			p := perturb(en, zh, max(3, len(en)/30), seed)
			hit := 0
			for _, b := range AlignByLength(p.en, p.zh) {
				if p.truth[beadKey(b)] {
					hit++
				}
			}
			found += hit
			total += len(p.truth)
		}
		t.Logf("%s: %d paragraphs; unedited: %d of %d aligned 1-1 in place", ch, len(en), same, len(en))
	}
	if total == 0 {
		t.Skip("no one-to-one chapter")
	}
	acc := float64(found) / float64(total)
	t.Logf("Debian Reference, edited: %d of %d true beads (%.1f%%)", found, total, 100*acc)
	if acc < 0.85 {
		t.Errorf("aligner restores %.1f%% of the true beads of the Debian Reference, want at least 85%%", 100*acc)
	}
}

package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/corpus-dev/corpus/corpus"
)

// labelWriter returns a function that writes a label file into a folder
// of the test's and returns its path.
func labelWriter(t *testing.T) func(name, body string) string {
	dir := t.TempDir()
	return func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
}

// TestReadAllLabels: the held-out files are read as their own splits, a
// hidden file ("") is left out, and a passage labelled in two files is
// refused with both places named (how 11 held2 passages once reached the
// tuning half).
func TestReadAllLabels(t *testing.T) {
	write := labelWriter(t)
	halves := write("labels.tsv", "# kind\tlocator\tdigest\tcompanies\tspeakers\nfiction\tbailuyuan#1\t00000000\t-\t白嘉轩\n")
	held2 := write("held2.tsv", "fiction\tbailuyuan#2\t00000000\t-\t^鹿三|黑娃\n")
	held3 := write("held3.tsv", "ui\tx.mo#3\t00000000\tIBM\t-\n")
	labels, err := readAllLabels(halves, held2, held3)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range labels {
		got = append(got, l.locator+"="+l.split+":"+strings.Join(l.speakers, "|")+":"+strings.Join(l.companies, "|"))
	}
	if want := "bailuyuan#1=:白嘉轩: bailuyuan#2=held2:^鹿三|黑娃: x.mo#3=held3::IBM"; strings.Join(got, " ") != want {
		t.Errorf("labels = %q, want %q", strings.Join(got, " "), want)
	}
	if labels, err := readAllLabels(halves, "", ""); err != nil || len(labels) != 1 {
		t.Errorf("without the held-out files: %d labels, %v; want 1, nil", len(labels), err)
	}
	dup := write("dup.tsv", "fiction\tbailuyuan#1\t00000000\t-\t-\n")
	_, err = readAllLabels(halves, "", dup)
	if err == nil || !strings.Contains(err.Error(), "dup.tsv:1") || !strings.Contains(err.Error(), "labels.tsv:2") {
		t.Errorf("a passage labelled twice: err = %v, want one naming dup.tsv:1 and labels.tsv:2", err)
	}
	short := write("short.tsv", "fiction\tbailuyuan#9\t00000000\n")
	if _, err := readAllLabels(halves, short, ""); err == nil || !strings.Contains(err.Error(), "short.tsv:1") {
		t.Errorf("a line with 3 fields: err = %v, want one naming short.tsv:1", err)
	}
}

// TestSampleLabels: -sample never offers a passage of the built-in held-out
// files, whatever -held2 and -held3 name ("" or another file), and a file
// named twice is read once.
func TestSampleLabels(t *testing.T) {
	write := labelWriter(t)
	halves := write("labels.tsv", "fiction\tbailuyuan#1\t00000000\t-\t-\n")
	builtin := []string{write("held2.tsv", "fiction\tbailuyuan#2\t00000000\t-\t-\n"),
		write("held3.tsv", "fiction\tbailuyuan#3\t00000000\t-\t-\n")}
	other := write("other.tsv", "fiction\tbailuyuan#4\t00000000\t-\t-\n")
	for _, tt := range []struct {
		name         string
		held2, held3 string
		want         string
	}{
		{"hidden", "", "", "bailuyuan#1 bailuyuan#2 bailuyuan#3"},
		{"another held3", "", other, "bailuyuan#1 bailuyuan#2 bailuyuan#3 bailuyuan#4"},
		{"another held2", other, "", "bailuyuan#1 bailuyuan#2 bailuyuan#3 bailuyuan#4"},
		{"the built-in files named", builtin[0], builtin[1], "bailuyuan#1 bailuyuan#2 bailuyuan#3"},
	} {
		labels, err := sampleLabels(halves, builtin, tt.held2, tt.held3)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		var got []string
		for _, l := range labels {
			got = append(got, l.locator)
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("%s: excluded %q, want %s", tt.name, got, tt.want)
		}
	}
	// The command passes the repository's own held-out files.
	for _, f := range []string{held2File, held3File} {
		if !slices.Contains(heldOutFiles, f) {
			t.Errorf("heldOutFiles = %q lacks %s", heldOutFiles, f)
		}
		if _, err := os.Stat(filepath.Join("..", "..", "..", f)); err != nil {
			t.Errorf("built-in held-out file: %v", err)
		}
	}
}

// TestScoreNeutral: a speaker written ^name is neither right nor wrong.
func TestScoreNeutral(t *testing.T) {
	var tl tally
	fp, fn := score(&tl, []string{"鹿三", "黑娃", "朱先生"}, []string{"^鹿三", "黑娃", "白灵"})
	if tl.tp != 1 || tl.fp != 1 || tl.fn != 1 || strings.Join(fp, "") != "朱先生" || strings.Join(fn, "") != "白灵" {
		t.Errorf("score = %+v, fp %q, fn %q; want tp 1 fp 1 (朱先生) fn 1 (白灵)", tl, fp, fn)
	}
}

// TestPrintBlind: a blind sample chooses by chapter, locator, length and
// text, skips labelled passages and prints no extractor output.
func TestPrintBlind(t *testing.T) {
	c := &corpusSet{byLoc: make(map[string]int)}
	texts := []corpus.Text{{ZH: "周明远说：“走。”"}, {ZH: "林小河说：“好。”"}, {ZH: "院子里很静。"}, {ZH: "林小河问：“谁？”"}, {ZH: "周明远笑了：“我。”"}}
	locs := []string{"n#1", "n#2", "n#3", "n#4", "n#5"}
	c.add(kindFiction, newDoc("n", texts), locs, func(int) bool { return true })
	for i, ch := range []int{1, 2, 2, 2, 3} {
		c.items[i].chapter = ch
		c.docs[0].Passages[i].Speakers = []string{"EXTRACTED"}
	}
	var b strings.Builder
	labels := []label{{locator: "n#4"}}
	err := printBlind(&b, c, labels, kindFiction, 10, 1, regexp.MustCompile("[“「]"), blindPick{on: true, chapters: "2,3", maxLen: 9})
	if err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, "EXTRACTED") {
		t.Errorf("a blind sample printed the extractor's output:\n%s", out)
	}
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if f := strings.Split(line, "\t"); len(f) > 1 {
			got = append(got, f[1])
		}
	}
	// n#1: chapter 1; n#3: no quotation; n#4: labelled; n#5: 10 characters.
	if strings.Join(got, " ") != "n#2" {
		t.Errorf("blind sample = %q, want n#2 only", got)
	}
	if err := printBlind(&b, c, nil, kindFiction, 10, 1, nil, blindPick{on: true, chapters: "2,x"}); err == nil {
		t.Error("-chapters 2,x: no error")
	}
}

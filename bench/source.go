package bench

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/corpus-dev/corpus/corpus"
)

// Sources are the real texts passages are made from.
type Sources struct {
	// Pairs are English–Chinese translation pairs from gettext catalogues.
	Pairs []corpus.Text
	// Prose are chunks of Chinese prose (a sentence or a few), Chinese only.
	Prose []string
	// Essay are the embedded essay's passages that have both sides.
	Essay []corpus.Text
	// Files names what was read, for the report.
	Files []string
}

// DefaultLocaleDir is where Debian installs Simplified Chinese catalogues.
const DefaultLocaleDir = "/usr/share/locale/zh_CN/LC_MESSAGES"

// LoadSources reads every .mo catalogue of localeDir, gse's Chinese test
// prose under gseDir (the module's directory; "" asks the go command), and
// the embedded essay.
func LoadSources(localeDir, gseDir string) (*Sources, error) {
	s := &Sources{}
	mos, err := filepath.Glob(filepath.Join(localeDir, "*.mo"))
	if err != nil {
		return nil, err
	}
	sort.Strings(mos)
	seen := map[string]bool{}
	for _, f := range mos {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		msgs, err := ReadMO(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		for _, m := range msgs {
			en, zh := cleanUI(m.ID), cleanUI(m.Str)
			if !hasLatin(en) || !hasHan(zh) || seen[en] {
				continue
			}
			seen[en] = true
			s.Pairs = append(s.Pairs, corpus.Text{EN: en, ZH: zh})
		}
	}
	if len(s.Pairs) == 0 {
		return nil, fmt.Errorf("no English–Chinese pairs in %s/*.mo (on Debian, install a few packages' translations, e.g. coreutils)", localeDir)
	}
	s.Files = append(s.Files, fmt.Sprintf("%d catalogues in %s (%d pairs)", len(mos), localeDir, len(s.Pairs)))

	if gseDir == "" {
		out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/go-ego/gse").Output()
		if err != nil {
			return nil, fmt.Errorf("find gse's module directory: %w", err)
		}
		gseDir = strings.TrimSpace(string(out))
	}
	prose := filepath.Join(gseDir, "testdata", "zh", "bailuyuan_zh.txt")
	data, err := os.ReadFile(prose)
	if err != nil {
		return nil, fmt.Errorf("gse test prose: %w", err)
	}
	s.Prose = proseChunks(string(data))
	if len(s.Prose) == 0 {
		return nil, fmt.Errorf("%s: no Chinese prose", prose)
	}
	s.Files = append(s.Files, fmt.Sprintf("%s (%d chunks)", prose, len(s.Prose)))

	essay, err := corpus.Essay()
	if err != nil {
		return nil, err
	}
	for _, p := range essay.Passages {
		if p.Text.EN != "" && p.Text.ZH != "" && p.Section == corpus.SectionBody {
			s.Essay = append(s.Essay, p.Text)
		}
	}
	s.Files = append(s.Files, fmt.Sprintf("the embedded essay (%d bilingual body passages)", len(s.Essay)))
	return s, nil
}

// mnemonic matches the keyboard accelerators of UI strings: "(_O)" in
// Chinese, "_" and "&" before a letter in either.
var mnemonic = regexp.MustCompile(`\(_[A-Za-z0-9]\)|\(&[A-Za-z0-9]\)|[_&]([\p{L}\p{N}])`)

// cleanUI removes accelerators and folds whitespace of a catalogue string.
func cleanUI(s string) string {
	s = mnemonic.ReplaceAllString(s, "$1")
	return strings.Join(strings.Fields(s), " ")
}

// maxProseRunes bounds a prose chunk, about a paragraph of news writing.
const maxProseRunes = 160

// proseChunks cuts a novel into chunks of whole sentences, skipping the
// download site's banner lines.
func proseChunks(text string) []string {
	var out []string
	for line := range strings.SplitSeq(text, "\n") {
		line = strings.TrimSpace(line)
		if !hasHan(line) || strings.Contains(strings.ToLower(line), "txt") || strings.Contains(line, "www.") {
			continue
		}
		var cur strings.Builder
		for _, sent := range sentences(line) {
			if cur.Len() > 0 && utf8.RuneCountInString(cur.String())+utf8.RuneCountInString(sent) > maxProseRunes {
				out = append(out, cur.String())
				cur.Reset()
			}
			cur.WriteString(sent)
		}
		if cur.Len() > 0 {
			out = append(out, cur.String())
		}
	}
	return out
}

// sentences splits Chinese text after sentence-ending punctuation.
func sentences(s string) []string {
	var out []string
	start := 0
	for i, r := range s {
		if strings.ContainsRune("。！？；", r) {
			end := i + utf8.RuneLen(r)
			// Keep a closing quote with its sentence.
			for end < len(s) {
				q, n := utf8.DecodeRuneInString(s[end:])
				if q != '”' && q != '’' && q != '」' {
					break
				}
				end += n
			}
			if end > start {
				out = append(out, s[start:end])
			}
			start = end
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func hasLatin(s string) bool {
	return bytes.ContainsFunc([]byte(s), func(r rune) bool { return r < 0x80 && unicode.IsLetter(r) })
}

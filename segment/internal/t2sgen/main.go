// Command t2sgen writes segment/t2s_table.go, the traditional → simplified
// character table used by segment.Fold, from the kSimplifiedVariant field of
// the Unicode Unihan database.
//
// It reads Unihan_Variants.txt from a Unihan.zip, a .bz2 file (as Debian's
// unicode-data package ships it) or a plain text file:
//
//	apt-get install unicode-data
//	go generate ./segment/
//
// The table keeps only mappings that replace one character by exactly one
// other, so folding never changes the number of runes of a text and token
// offsets can be mapped back rune by rune. Folding must also leave simplified
// text alone, so an entry is kept only when:
//   - the character is not among its own simplified variants: Unihan lists
//     乾 → 乾 干, 著 → 着 著, 覆 → 复 覆 because simplified text writes 乾坤,
//     著名, 覆盖;
//   - it is not one of keepAsWritten, the few characters that Unihan
//     simplifies but that simplified text still writes as they are (大阪);
//   - exactly one of its variants is a character of everyday simplified
//     Chinese, that is of GB 2312, or failing that of the CJK Unified
//     Ideographs block (戰 → 战 not 𢧐, 開 → 开 not 𫔭). Variants outside
//     them are rare forms, mostly in the extension blocks, that no text is
//     written in (瑙 → 𰡻 would break 玛瑙); with two everyday candidates
//     (餘 → 余 馀, 鍾 → 钟 锺) the character is left alone rather than
//     guessed.
//
// Chains (薴 → 苧 → 苎) are followed to their end, because folding is one
// lookup per rune.
package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/bzip2"
	"flag"
	"fmt"
	"go/format"
	"io"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// defaultInputs are tried in order when -unihan is not given.
var defaultInputs = []string{
	"/usr/share/unicode/Unihan.zip",
	"/usr/share/unicode/Unihan_Variants.txt.bz2",
	"/usr/share/unicode/Unihan_Variants.txt",
}

func main() {
	in := flag.String("unihan", "", "Unihan.zip, Unihan_Variants.txt.bz2 or Unihan_Variants.txt (default: the first of "+strings.Join(defaultInputs, ", ")+" that exists)")
	out := flag.String("o", "t2s_table.go", "output Go file")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("t2sgen: ")

	path := *in
	if path == "" {
		for _, p := range defaultInputs {
			if _, err := os.Stat(p); err == nil {
				path = p
				break
			}
		}
		if path == "" {
			log.Fatal("no Unihan data found: apt-get install unicode-data, or pass -unihan")
		}
	}
	src, err := generate(path)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		log.Fatal(err)
	}
}

// pair is one traditional character and its simplified form.
type pair struct{ trad, simp rune }

func generate(path string) ([]byte, error) {
	data, err := readVariants(path)
	if err != nil {
		return nil, err
	}
	version, pairs, err := parse(data)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", path, err)
	}
	src := render(filepath.Base(path), version, pairs)
	formatted, err := format.Source(src)
	if err != nil {
		return nil, fmt.Errorf("format generated table: %w", err)
	}
	return formatted, nil
}

// readVariants returns the text of Unihan_Variants.txt from path.
func readVariants(path string) ([]byte, error) {
	switch {
	case strings.HasSuffix(path, ".zip"):
		z, err := zip.OpenReader(path)
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", path, err)
		}
		defer z.Close()
		f, err := z.Open("Unihan_Variants.txt")
		if err != nil {
			return nil, fmt.Errorf("open Unihan_Variants.txt in %s: %w", path, err)
		}
		defer f.Close()
		return io.ReadAll(f)
	case strings.HasSuffix(path, ".bz2"):
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", path, err)
		}
		defer f.Close()
		b, err := io.ReadAll(bzip2.NewReader(f))
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
		return b, nil
	default:
		return os.ReadFile(path)
	}
}

// parse returns the Unicode version named in the file's header and the
// selected pairs sorted by traditional code point.
func parse(data []byte) (version string, pairs []pair, err error) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if v, ok := strings.CutPrefix(text, "# Unicode version:"); ok {
			version = strings.TrimSpace(v)
			continue
		}
		if text == "" || text[0] == '#' {
			continue
		}
		fields := strings.Split(text, "\t")
		if len(fields) != 3 || fields[1] != "kSimplifiedVariant" {
			continue
		}
		trad, err := codePoint(fields[0])
		if err != nil {
			return "", nil, fmt.Errorf("line %d: %w", line, err)
		}
		var simps []rune
		for _, f := range strings.Fields(fields[2]) {
			// Values may carry a source tag after '<'; none does in
			// kSimplifiedVariant today, but the format allows it.
			f, _, _ = strings.Cut(f, "<")
			r, err := codePoint(f)
			if err != nil {
				return "", nil, fmt.Errorf("line %d: %w", line, err)
			}
			simps = append(simps, r)
		}
		if s, ok := choose(trad, simps); ok {
			pairs = append(pairs, pair{trad, s})
		}
	}
	if err := sc.Err(); err != nil {
		return "", nil, err
	}
	if version == "" {
		return "", nil, fmt.Errorf("no \"# Unicode version:\" header")
	}
	if len(pairs) == 0 {
		return "", nil, fmt.Errorf("no kSimplifiedVariant entries")
	}
	pairs, err = resolveChains(pairs)
	if err != nil {
		return "", nil, err
	}
	slices.SortFunc(pairs, func(a, b pair) int { return int(a.trad - b.trad) })
	return version, pairs, nil
}

// resolveChains maps each character to the end of its chain (薴 → 苧 → 苎
// becomes 薴 → 苎), because folding is one lookup per rune and a simplified
// form that is itself mapped would leave text half folded.
func resolveChains(pairs []pair) ([]pair, error) {
	next := make(map[rune]rune, len(pairs))
	for _, p := range pairs {
		next[p.trad] = p.simp
	}
	out := make([]pair, 0, len(pairs))
	for _, p := range pairs {
		s := p.simp
		for steps := 0; ; steps++ {
			n, ok := next[s]
			if !ok {
				break
			}
			if steps > len(pairs) || n == p.trad {
				return nil, fmt.Errorf("cycle through %U", p.trad)
			}
			s = n
		}
		out = append(out, pair{p.trad, s})
	}
	return out, nil
}

// keepAsWritten are characters of GB 2312 that Unihan maps to another
// character but that simplified text writes unchanged: 幺 (老幺), 阪 (大阪),
// 吒 (哪吒). They were found by listing every GB 2312 character with a
// kSimplifiedVariant other than itself and checking each one's use in gse's
// simplified dictionary; the others (於 → 于, 後 → 后, 麽 → 么, 麴 → 麹)
// do not occur there and are folded.
const keepAsWritten = "幺阪吒"

// choose applies the rules of the package comment to one entry.
func choose(trad rune, simps []rune) (rune, bool) {
	if slices.Contains(simps, trad) || strings.ContainsRune(keepAsWritten, trad) {
		return 0, false
	}
	var gb, uro []rune
	for _, s := range simps {
		if inGB2312(s) {
			gb = append(gb, s)
		}
		if s >= 0x4E00 && s <= 0x9FFF {
			uro = append(uro, s)
		}
	}
	switch {
	case len(gb) == 1:
		return gb[0], true
	case len(gb) == 0 && len(uro) == 1:
		return uro[0], true
	}
	return 0, false
}

var gbk = simplifiedchinese.GBK.NewEncoder()

// inGB2312 reports whether r is a Han character of GB 2312. GBK extends
// GB 2312 without moving it, so a character is in GB 2312 exactly when GBK
// encodes it in the GB 2312 rows of Han characters (first byte 0xB0–0xF7,
// second 0xA1–0xFE).
func inGB2312(r rune) bool {
	b, err := gbk.Bytes([]byte(string(r)))
	if err != nil || len(b) != 2 {
		return false
	}
	return b[0] >= 0xB0 && b[0] <= 0xF7 && b[1] >= 0xA1 && b[1] <= 0xFE
}

func codePoint(s string) (rune, error) {
	hex, ok := strings.CutPrefix(s, "U+")
	if !ok {
		return 0, fmt.Errorf("bad code point %q", s)
	}
	n, err := strconv.ParseUint(hex, 16, 32)
	if err != nil || n > 0x10FFFF {
		return 0, fmt.Errorf("bad code point %q", s)
	}
	return rune(n), nil
}

func render(source, version string, pairs []pair) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by t2sgen from %s; DO NOT EDIT.\n\n", source)
	fmt.Fprintf(&b, "// This table comes from the kSimplifiedVariant field of the Unicode Unihan\n")
	fmt.Fprintf(&b, "// database, Unicode %s. See internal/t2sgen for which entries are kept.\n\n", version)
	fmt.Fprintf(&b, "package segment\n\n")
	fmt.Fprintf(&b, "// unihanVersion is the Unicode version t2sTable was generated from.\n")
	fmt.Fprintf(&b, "const unihanVersion = %q\n\n", version)
	fmt.Fprintf(&b, "// t2sTable maps a traditional character to its simplified form, one rune to\n")
	fmt.Fprintf(&b, "// one rune, sorted by the traditional character.\n")
	fmt.Fprintf(&b, "var t2sTable = [...]struct{ trad, simp rune }{\n")
	for _, p := range pairs {
		fmt.Fprintf(&b, "\t{0x%04X, 0x%04X}, // %c → %c\n", p.trad, p.simp, p.trad, p.simp)
	}
	fmt.Fprintf(&b, "}\n")
	return b.Bytes()
}

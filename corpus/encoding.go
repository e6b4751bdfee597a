package corpus

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// sniffBytes is how much of a file decodeText looks at to tell its
// encoding: enough Chinese text (about 20,000 characters) to tell GB18030
// from Big5 by which of them makes common characters.
const sniffBytes = 64 << 10

// The encodings decodeText reads besides UTF-8, by the name it reports.
const (
	encUTF8    = "UTF-8"
	encGB18030 = "GB18030"
	encBig5    = "Big5"
	encUTF16LE = "UTF-16LE"
	encUTF16BE = "UTF-16BE"
)

// decodeText returns a reader of r's text as UTF-8 and the encoding r was
// found to be in: UTF-8 (with or without a byte order mark, returned as
// is), UTF-16 with a byte order mark, or, for text that is not UTF-8,
// GB18030 (which includes GBK and GB2312) or Big5, whichever decodes the
// start of the file into common Chinese characters. A file in none of them
// is a *FileError that says what the file looks like and how to convert
// it, never a bare "invalid UTF-8".
func decodeText(r io.Reader, name string) (io.Reader, string, error) {
	br := bufio.NewReaderSize(r, sniffBytes)
	head, err := br.Peek(sniffBytes)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, "", &FileError{Path: name, Err: err}
	}
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return transform.NewReader(br, xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM).NewDecoder()), encUTF16LE, nil
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return transform.NewReader(br, xunicode.UTF16(xunicode.BigEndian, xunicode.ExpectBOM).NewDecoder()), encUTF16BE, nil
	}
	if zeros := bytes.Count(head, []byte{0}); zeros*8 > len(head) {
		order := "LE"
		if head[0] == 0 {
			order = "BE"
		}
		return nil, "", fileErr(name, 1, "not UTF-8: the file looks like UTF-16%s without a byte order mark; convert it to UTF-8 (iconv -f UTF-16%s -t UTF-8)", order, order)
	}
	if validPrefix(head, len(head) == sniffBytes) {
		return br, encUTF8, nil
	}
	enc, err := guessEncoding(head)
	if err != nil {
		return nil, "", fileErr(name, invalidUTF8Line(head), "%v", err)
	}
	dec := map[string]encoding.Encoding{encGB18030: simplifiedchinese.GB18030, encBig5: traditionalchinese.Big5}[enc]
	return transform.NewReader(br, dec.NewDecoder()), enc, nil
}

// validPrefix reports whether b is UTF-8, allowing a rune cut at its end
// when b is only the start of a file.
func validPrefix(b []byte, cut bool) bool {
	if utf8.Valid(b) {
		return true
	}
	if !cut {
		return false
	}
	for i := 1; i < utf8.UTFMax && i <= len(b); i++ {
		if utf8.RuneStart(b[len(b)-i]) {
			return utf8.Valid(b[:len(b)-i])
		}
	}
	return false
}

// invalidUTF8Line returns the 1-based line of the first invalid UTF-8 in
// b, or 0 when b is all UTF-8.
func invalidUTF8Line(b []byte) int {
	line := 1
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size <= 1 {
			return line
		}
		if r == '\n' {
			line++
		}
		b = b[size:]
	}
	return 0
}

// guessEncoding tells which Chinese encoding b, which is not UTF-8, is
// in: the one of GB18030 and Big5 that decodes it into the most common
// characters, when that is clearly ordinary Chinese text. Otherwise the
// error says what b looks like and how to convert it.
func guessEncoding(b []byte) (string, error) {
	best, bestScore := "", 0.0
	for _, c := range []struct {
		name string
		enc  encoding.Encoding
	}{{encGB18030, simplifiedchinese.GB18030}, {encBig5, traditionalchinese.Big5}} {
		if s := chineseScore(c.enc, b); s > bestScore {
			best, bestScore = c.name, s
		}
	}
	if bestScore >= minChineseScore {
		return best, nil
	}
	hint := "an encoding this program does not read (Latin-1 or Windows-1252 for Western text, Shift_JIS, …)"
	if best != "" && bestScore > 0 {
		hint = fmt.Sprintf("%s, but too few of its characters are common ones to be sure", best)
	}
	return "", fmt.Errorf("not UTF-8: the file looks like %s; convert it to UTF-8 (iconv -f ENCODING -t UTF-8, or save it as UTF-8 in an editor)", hint)
}

// minChineseScore is the share of common characters among the Han
// characters of a decoding that makes it ordinary Chinese text. In real
// prose the commonCharacters are about half the text; bytes decoded in the
// wrong one of GB18030 and Big5 give rare characters, a few percent.
const minChineseScore = 0.2

// chineseScore decodes b with enc and returns the share of common
// characters among its Han characters, or 0 when the decoding fails or
// gives more replacement characters than a cut at the end explains.
func chineseScore(enc encoding.Encoding, b []byte) float64 {
	out, _, err := transform.Bytes(enc.NewDecoder(), b)
	if err != nil {
		return 0
	}
	var han, common, bad int
	for _, r := range string(out) {
		switch {
		case r == utf8.RuneError:
			bad++
		case unicode.Is(unicode.Han, r):
			han++
			if strings.ContainsRune(commonCharacters, r) {
				common++
			}
		}
	}
	if han == 0 || bad > 1+han/100 {
		return 0
	}
	return float64(common) / float64(han)
}

// commonCharacters are the most frequent Chinese characters, in their
// simplified and traditional forms.
const commonCharacters = "的一是不了在人有我他这這个個们們中来來上大为為和国國地到以说說时時要就出会會可也你对對生能而子那得于於着著下自之年过過发發后後作里裡用道行所然家种種事成方多经經么麼去法学學如都同现現当當没沒动動面起看定天分还還进進好小部其些主样樣理心她本前开開但因只从從想实實日军軍者意无無力它与與长長把机機十民第公此已工使情明性知全三又关關点點正业業外将將两兩高间間由问問很最重并並物手应應战戰向头頭文体體政美相见見被利什二等产產或新己制身果加西斯月话話合回特代内內信表化老给給世位次度门門任常先海通教儿兒原东東声聲提立及比员員解水名真论論处處走义義各入几幾口认認条條平系气氣题題活尔爾更别別打女变變四神总總何电電数數安少报報才结結反受目太量再感建务務做接必场場件计計管期市直德资資命山金指克许許统統区區保至队隊形社便空决決治展马馬科司五基眼书書非则則听聽白却界达達光放强強即像难難且权權思王象完设設式色路记記南品住告类類求据據程北边邊死张張该該交规規万萬取拉格望觉覺术術领領共确確传傳师師观觀清今切院让讓识識候带帶导導争爭运運笑飞飛风風步改收根干幹造言联聯持组組每济濟车車亲親极極林服快办辦议議往元英士证證近失转轉夫令准準布始怎呢存未远遠叫台单單影具罗羅字爱愛击擊流备備兵连連调調深商算质質团團集百需价價花党黨华華城石级級整府离離况況亚亞请請技际際约約示复復病息究线線似官火断斷精满滿支视視消越器容照须須九增研写寫称稱企八功吗嗎包片史委乎查轻輕易早曾除农農找装裝广廣显顯吧阿李标標谈談吃图圖念六引历歷首医醫局突专專费費号號尽盡另周较較注语語仅僅考落青随隨选選列武红紅响響虽雖推势勢参參希古众眾构構房半节節土投某案黑维維革划劃敌敵致陈陳律足态態护護七兴興派孩验驗责責营營星够夠章音跟志底站严嚴巴例防族供效续續施留讲講型料终終答紧緊黄黃绝絕奇察母京段依批群项項故按河米围圍江织織害斗鬥双雙境客纪紀采採举舉杀殺攻父苏蘇密低朝友诉訴止细細愿願千值仍男钱錢破网網热熱助倒育属屬坐帝限船脸臉职職速刻乐樂否刚剛威毛状狀率甚独獨球般普怕弹彈校苦创創假久错錯承印晚兰蘭试試"

// declaredEncoding checks the encoding a file declares (an XML declaration,
// a PO header's charset) against the one decodeText read it in. A file
// already decoded from GB18030, Big5 or UTF-16 is UTF-8 by then, whatever
// it declares, as long as the declaration names an encoding this program
// knows; a UTF-8 file that declares something else is taken as the
// declaration's mistake only when the label is unknown.
func declaredEncoding(label, read string) error {
	l := strings.ToLower(strings.TrimSpace(label))
	switch l {
	case "", "utf-8", "utf8", "us-ascii", "ascii", "charset":
		return nil
	}
	if _, err := htmlindex.Get(l); err != nil {
		return fmt.Errorf("encoding %q is unknown: convert the file to UTF-8", label)
	}
	if read != encUTF8 {
		return nil
	}
	return fmt.Errorf("the file says it is in %s but reads as UTF-8 text; if it is UTF-8, correct the declaration, else convert the file to UTF-8 (iconv -f %s -t UTF-8)", label, label)
}

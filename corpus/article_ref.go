package corpus

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// refHead matches the number that starts a reference: "7. ", "7.", "7．",
// "7、".
var refHead = regexp.MustCompile(`^(\d{1,4})(\.|．|、)`)

// refNumber returns the number a reference paragraph starts with and the
// text after it.
func refNumber(s string) (int, string, bool) {
	m := refHead.FindStringSubmatch(s)
	if m == nil {
		return 0, s, false
	}
	rest := s[len(m[0]):]
	if m[2] == "." && rest != "" && rest[0] >= '0' && rest[0] <= '9' {
		return 0, s, false // "2.5 billion" is prose
	}
	n, err := strconv.Atoi(m[1])
	if err != nil || n == 0 {
		return 0, s, false
	}
	return n, strings.TrimSpace(rest), true
}

// referenceRun returns the index of the first part of the trailing run of
// numbered paragraphs with strictly increasing numbers (gaps allowed), or
// len(parts) if there is none. A numbered list earlier in the body stays
// body: the run starts after the last number that does not increase.
func referenceRun(parts []Part) int {
	start := len(parts)
	next := 0
	for i := len(parts) - 1; i >= 1; i-- {
		n, _, ok := refNumber(parts[i].Text)
		if !ok || (next != 0 && n >= next) {
			break
		}
		start, next = i, n
	}
	return start
}

var (
	monthNames = `(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)`
	dateTail   = `[\s,;.，；。]*$`
	// The date forms a reference may end with, and the order of the year,
	// month and day submatches in each.
	refDates = []struct {
		re         *regexp.Regexp
		y, mon, dy int
	}{
		{regexp.MustCompile(`(?i)(?:^|[\s,，])` + monthNames + `\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})` + dateTail), 3, 1, 2},
		{regexp.MustCompile(`(?i)(?:^|[\s,，])(\d{1,2})\s+` + monthNames + `\.?,?\s+(\d{4})` + dateTail), 3, 2, 1},
		{regexp.MustCompile(`(?:^|[\s,，])(\d{4})-(\d{1,2})-(\d{1,2})` + dateTail), 1, 2, 3},
		{regexp.MustCompile(`(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日` + dateTail), 1, 2, 3},
	}
)

// cutDate finds a date at the end of s and returns s without it, the date
// in ISO form, and whether there was one. It errors for a date that does
// not exist.
func cutDate(s string) (string, string, bool, error) {
	for _, d := range refDates {
		m := d.re.FindStringSubmatchIndex(s)
		if m == nil {
			continue
		}
		sub := func(i int) string { return s[m[2*i]:m[2*i+1]] }
		y, _ := strconv.Atoi(sub(d.y))
		day, _ := strconv.Atoi(sub(d.dy))
		mon, err := strconv.Atoi(sub(d.mon))
		if err != nil {
			mon = monthNumber(sub(d.mon))
		}
		t := time.Date(y, time.Month(mon), day, 0, 0, 0, 0, time.UTC)
		if mon < 1 || mon > 12 || t.Day() != day || t.Month() != time.Month(mon) {
			return s, "", false, fmt.Errorf("invalid date %q", strings.TrimSpace(s[m[0]:]))
		}
		return s[:m[0]], t.Format(time.DateOnly), true, nil
	}
	return s, "", false, nil
}

func monthNumber(name string) int {
	name = strings.ToLower(name)
	for m := time.January; m <= time.December; m++ {
		if strings.HasPrefix(strings.ToLower(m.String()), name[:3]) {
			return int(m)
		}
	}
	return 0
}

// roleWords start a segment that describes a person ("founder and CEO of
// todays headlines") or continues a list, never a publication's name.
var roleWords = map[string]bool{
	"founder": true, "co-founder": true, "cofounder": true, "ceo": true, "cto": true, "cfo": true,
	"chairman": true, "chairwoman": true, "president": true, "vice": true, "dean": true,
	"professor": true, "director": true, "editor": true, "reporter": true, "author": true,
	"head": true, "chief": true, "and": true, "or": true, "by": true, "etc": true,
}

// maxPublicationWords bounds the words of a publication's name.
const maxPublicationWords = 4

// looksLikePublication reports whether seg, the last comma-separated segment
// of a reference before its date, names a publication: a short name without
// digits that does not describe a person.
func looksLikePublication(seg string) bool {
	words := strings.Fields(seg)
	if len(words) == 0 || len(words) > maxPublicationWords {
		return false
	}
	if strings.IndexFunc(seg, unicode.IsDigit) >= 0 || strings.ContainsAny(seg, ":：") {
		return false
	}
	return !roleWords[strings.ToLower(strings.Trim(words[0], ".,"))]
}

// parseReference parses one reference paragraph: "N. Title, Publication,
// Month D, YYYY;" where the date is optional and the publication is
// recognised only before a date.
func parseReference(s string) (ArticleReference, error) {
	n, body, date, err := splitReference(s)
	ref := ArticleReference{Number: n, Date: date, Title: body}
	if err != nil {
		return ref, err
	}
	// Without a date to anchor it, a last segment is as likely the end of a
	// list in the title ("Apples, oranges and pears") as a publication.
	if title, seg, ok := cutLastSegment(body); ok && date != "" && looksLikePublication(seg) {
		ref.Title, ref.Publication = title, seg
	}
	return ref, nil
}

// splitReference splits a reference paragraph into its number, the text
// before its date, and its date in ISO form ("" when it has none).
func splitReference(s string) (n int, body, date string, err error) {
	n, rest, _ := refNumber(s)
	rest, date, _, err = cutDate(rest)
	if err != nil {
		return n, rest, "", fmt.Errorf("reference %d: %w", n, err)
	}
	return n, strings.TrimRight(rest, " ,;.，；。"), date, nil
}

// cutLastSegment splits s at its last comma into what comes before it and
// the last segment.
func cutLastSegment(s string) (before, last string, ok bool) {
	i := strings.LastIndexAny(s, ",，")
	if i <= 0 {
		return s, "", false
	}
	_, size := utf8.DecodeRuneInString(s[i:])
	return strings.TrimRight(s[:i], " ,;，；"), strings.TrimSpace(s[i+size:]), true
}

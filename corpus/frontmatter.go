package corpus

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// frontMatter is the metadata a Markdown or text file may start with,
// between two "---" lines, in YAML:
//
//	---
//	title: 华为的海外之路
//	date: 2021-06-01     # or 2021
//	lang: zh             # else detected passage by passage
//	source: Example Weekly
//	author: Zhang San    # or a list
//	id: huawei-abroad    # else made from the file's path
//	note: What the text is and how it was made.
//	---
type frontMatter struct {
	title, date, source, author, id, note string
	lang                                  Lang
	// Lines of the keys, for errors found later; 0 when absent.
	idLine, langLine, dateLine int
	// facets are the document's facet settings (written:, facets:).
	facets FacetSettings
}

// frontMatterKeys are the keys frontMatter reads; others are reported in a
// notice and ignored, since front matter written for a static site
// generator has many (tags, draft, layout).
var frontMatterKeys = []string{"title", "date", "lang", "source", "author", "id", "note", "written", "facets"}

// yamlLine finds the line of a yaml.v3 error message.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parseFrontMatter parses the YAML src of front matter whose first line is
// line first of file name. It returns the unknown keys it ignored. Errors
// are *FileError with the line in the file.
func parseFrontMatter(src, name string, first int) (frontMatter, []string, error) {
	var fm frontMatter
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		line := first - 1
		if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
			n, _ := strconv.Atoi(m[1])
			line, msg = first-1+n, m[2]
		}
		return fm, nil, fileErr(name, line, "front matter: %s", msg)
	}
	if len(doc.Content) == 0 {
		return fm, nil, nil // empty front matter
	}
	top := doc.Content[0]
	at := func(n *yaml.Node) int { return first - 1 + n.Line }
	if top.Kind != yaml.MappingNode {
		return fm, nil, fileErr(name, at(top), "front matter: want key: value lines")
	}
	var unknown []string
	seen := make(map[string]int)
	for i := 0; i+1 < len(top.Content); i += 2 {
		k, v := top.Content[i], top.Content[i+1]
		key := strings.ToLower(k.Value)
		if prev, dup := seen[key]; dup {
			return fm, nil, fileErr(name, at(k), "front matter: %s given twice (first on line %d)", key, prev)
		}
		seen[key] = at(k)
		if !contains(frontMatterKeys, key) {
			unknown = append(unknown, k.Value)
			continue
		}
		if key == "facets" || key == "written" {
			if err := fm.readFacets(key, v, name, at); err != nil {
				return fm, nil, err
			}
			continue
		}
		s, err := yamlText(v)
		if err != nil {
			return fm, nil, fileErr(name, at(v), "front matter: %s: %v", key, err)
		}
		switch key {
		case "title":
			fm.title = s
		case "source":
			fm.source = s
		case "author":
			fm.author = s
		case "note":
			fm.note = s
		case "date":
			if s != "" && !validDate(s) {
				return fm, nil, fileErr(name, at(v), "front matter: date %q: want YYYY or YYYY-MM-DD", s)
			}
			fm.date, fm.dateLine = s, at(v)
		case "lang":
			l, ok := langOf(s)
			if !ok && s != "" {
				return fm, nil, fileErr(name, at(v), "front matter: lang %q: want en or zh", s)
			}
			fm.lang, fm.langLine = l, at(v)
		case "id":
			if s != "" && !validID(s) {
				return fm, nil, fileErr(name, at(v), "front matter: id %q: want lower-case words and digits joined by hyphens", s)
			}
			fm.id, fm.idLine = s, at(v)
		}
	}
	return fm, unknown, nil
}

// readFacets reads the facet settings of front matter: facets: (see
// FacetSettings) and written:, the year the text was written when date is
// another (a publication's), which relative years count from.
func (fm *frontMatter) readFacets(key string, v *yaml.Node, name string, at func(*yaml.Node) int) error {
	if key == "facets" {
		w := fm.facets.Written
		fs, err := parseFacets(v, name, at)
		fm.facets, fm.facets.Written = fs, w
		return err
	}
	s, err := yamlText(v)
	if err == nil && s != "" && !validDate(s) {
		err = fmt.Errorf("%q: want YYYY or YYYY-MM-DD", s)
	}
	if err != nil {
		return fileErr(name, at(v), "front matter: written %v", err)
	}
	fm.facets.Written = dateYear(s)
	return nil
}

// yamlText returns a scalar's text, or a list of scalars joined by ", "
// (several authors).
func yamlText(n *yaml.Node) (string, error) {
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "", nil
		}
		return normalize(n.Value), nil
	case yaml.SequenceNode:
		var parts []string
		for _, c := range n.Content {
			if c.Kind != yaml.ScalarNode {
				return "", fmt.Errorf("want text or a list of texts")
			}
			if s := normalize(c.Value); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, ", "), nil
	}
	return "", fmt.Errorf("want text or a list of texts")
}

// validDate reports whether s is a real date written YYYY or YYYY-MM-DD.
func validDate(s string) bool {
	if !docDatePattern.MatchString(s) {
		return false
	}
	if len(s) == 4 {
		return s >= "1000"
	}
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

func contains(ss []string, s string) bool {
	return slices.Contains(ss, s)
}

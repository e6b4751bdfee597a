package corpus

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// FacetSettings narrow the facets of a document. A folder's entities.yaml
// sets them for its documents under facets:, a document's front matter for
// itself (written:, facets:); the extractor applies them.
//
//	facets:
//	  speakers: off          # a translation memory of UI strings quotes nobody
//	  relative-years: off    # fiction: "this year" is the story's year
//	  companies: [Huawei, ZTE]   # only these; "off" for none
//	  years: off
type FacetSettings struct {
	NoCompanies, NoYears, NoSpeakers bool
	// NoRelativeYears keeps explicit years only ("in 2019"), not "this
	// year" or "three years later": in a novel they count from the story's
	// present, which no date of the document gives.
	NoRelativeYears bool
	// Companies, when not empty, are the only companies the facet holds.
	Companies []string
	// Written is the year the text was written, when its date is another
	// (a publication or a reprint): relative years resolve against it.
	Written int
}

// facetKeys are the keys of a facets: mapping.
var facetKeys = []string{"companies", "years", "speakers", "relative-years"}

// parseFacets reads a facets: mapping of YAML. Errors name the line.
func parseFacets(n *yaml.Node, name string, lineOf func(*yaml.Node) int) (FacetSettings, error) {
	var fs FacetSettings
	if n.Kind != yaml.MappingNode {
		return fs, fileErr(name, lineOf(n), "facets: want key: value lines (%s)", strings.Join(facetKeys, ", "))
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		key := strings.ToLower(k.Value)
		if !slices.Contains(facetKeys, key) {
			return fs, fileErr(name, lineOf(k), "facets: unknown key %q (want one of %s)", k.Value, strings.Join(facetKeys, ", "))
		}
		if key == "companies" && v.Kind == yaml.SequenceNode {
			for _, c := range v.Content {
				if s := strings.TrimSpace(c.Value); s != "" {
					fs.Companies = append(fs.Companies, s)
				}
			}
			if len(fs.Companies) == 0 {
				fs.NoCompanies = true
			}
			continue
		}
		on, err := onOff(v)
		if err != nil {
			return fs, fileErr(name, lineOf(v), "facets: %s: %v", key, err)
		}
		switch key {
		case "companies":
			fs.NoCompanies = !on
		case "years":
			fs.NoYears = !on
		case "speakers":
			fs.NoSpeakers = !on
		case "relative-years":
			fs.NoRelativeYears = !on
		}
	}
	return fs, nil
}

// onOff reads on/off (or YAML's true/false, yes/no).
func onOff(n *yaml.Node) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(n.Value)) {
	case "on", "true", "yes":
		return true, nil
	case "off", "false", "no":
		return false, nil
	}
	return false, fmt.Errorf("%q: want on or off", n.Value)
}

// Over returns s with what doc, a document's own settings, says on top:
// a facet either switches off stays off, doc's company list and writing
// year win.
func (s FacetSettings) Over(doc FacetSettings) FacetSettings {
	out := s
	out.NoCompanies = s.NoCompanies || doc.NoCompanies
	out.NoYears = s.NoYears || doc.NoYears
	out.NoSpeakers = s.NoSpeakers || doc.NoSpeakers
	out.NoRelativeYears = s.NoRelativeYears || doc.NoRelativeYears
	if len(doc.Companies) > 0 {
		out.Companies = slices.Clone(doc.Companies)
	}
	if doc.Written != 0 {
		out.Written = doc.Written
	}
	return out
}

// apply narrows the facets of p by s.
func (s FacetSettings) apply(p *Passage) {
	if s.NoCompanies {
		p.Companies = nil
	} else if len(s.Companies) > 0 {
		p.Companies = slices.DeleteFunc(p.Companies, func(c string) bool { return !slices.Contains(s.Companies, c) })
		if len(p.Companies) == 0 {
			p.Companies = nil
		}
	}
	if s.NoYears {
		p.Years = nil
	}
	if s.NoSpeakers {
		p.Speakers = nil
	}
}

// readFolderFacets reads the facets: mapping of a folder's entities.yaml,
// if it has one.
func readFolderFacets(fsys fs.FS, rel, name string) (FacetSettings, error) {
	if !strings.HasSuffix(strings.ToLower(rel), ".yaml") && !strings.HasSuffix(strings.ToLower(rel), ".yml") {
		return FacetSettings{}, nil
	}
	data, err := fs.ReadFile(fsys, rel)
	if err != nil {
		return FacetSettings{}, &FileError{Path: name, Err: err}
	}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return FacetSettings{}, nil // readEntityFile reports what is wrong
	}
	top := doc.Content[0]
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value == "facets" {
			return parseFacets(top.Content[i+1], name, func(n *yaml.Node) int { return n.Line })
		}
	}
	return FacetSettings{}, nil
}

package corpus

import (
	"errors"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"
)

// pairFiles pairs NAME.en.md with NAME.zh.md: a stem with exactly one file
// of each language is a pair; a stem with two files of one language is
// ambiguous. partner maps the index of each paired file in files to its
// partner's.
func (r *reader) pairFiles(f Folder, files []sourceFile) (partner map[int]int, ambiguous map[int]bool, err error) {
	byStem := make(map[string][]int)
	for i, sf := range files {
		if sf.lang != "" {
			byStem[sf.stem] = append(byStem[sf.stem], i)
		}
	}
	partner = make(map[int]int)
	ambiguous = make(map[int]bool)
	for _, stem := range slices.Sorted(maps.Keys(byStem)) {
		idx := byStem[stem]
		var en, zh []int
		for _, i := range idx {
			if files[i].lang == English {
				en = append(en, i)
			} else {
				zh = append(zh, i)
			}
		}
		switch {
		case len(en) > 1 || len(zh) > 1:
			var names []string
			for _, i := range idx {
				names = append(names, path.Join(f.Name, files[i].rel))
				ambiguous[i] = true
			}
			if err := r.fail(&FileError{Path: names[0], Err: fmt.Errorf("ambiguous parallel files %s: keep one file per language", strings.Join(names, ", "))}); err != nil {
				return nil, nil, err
			}
		case len(en) == 1 && len(zh) == 1:
			partner[en[0]], partner[zh[0]] = zh[0], en[0]
		}
	}
	return partner, ambiguous, nil
}

// readPair reads NAME.en.* and NAME.zh.* as one bilingual document, or as
// two monolingual ones when they do not align and opts.Unaligned is set.
func (r *reader) readPair(f Folder, en, zh sourceFile) error {
	enName, zhName := path.Join(f.Name, en.rel), path.Join(f.Name, zh.rel)
	read := func(sf sourceFile, name string) (*textFile, error) {
		in, _, file, err := r.open(f, sf, name)
		if err != nil {
			return nil, err
		}
		defer file.Close()
		return readText(in, name, sf.markdown)
	}
	te, errE := read(en, enName)
	tz, errZ := read(zh, zhName)
	if errE == nil {
		r.noticeUnknown(enName, te)
	}
	if errZ == nil {
		r.noticeUnknown(zhName, tz)
	}
	if errE != nil || errZ != nil {
		for _, err := range []error{errE, errZ} {
			if err != nil {
				if err := r.fail(err); err != nil {
					return err
				}
			}
		}
		return nil
	}
	d, beads, err := pairDocument(te, tz, en, enName, zhName, !r.opts.Unaligned)
	if err == nil {
		finish(d, enName+", "+zhName)
		if beads != nil {
			r.notice("%s and %s: %d paragraphs against %d, aligned by length into %d passages: %s (--unaligned reads them as two documents instead)",
				enName, zhName, len(te.parts()), len(tz.parts()), len(beads), alignReport(beads))
		}
	}
	var ae *AlignError
	if errors.As(err, &ae) && r.opts.Unaligned {
		r.notice("%s and %s do not align (%d paragraphs against %d): read as two documents", enName, zhName, ae.ENCount, ae.ZHCount)
		for _, side := range []struct {
			t    *textFile
			sf   sourceFile
			name string
		}{{te, en, enName}, {tz, zh, zhName}} {
			sf := side.sf
			sf.stem += "-" + string(sf.lang)
			if side.t.meta.id != "" {
				side.t.meta.id += "-" + string(sf.lang)
			}
			d, err := side.t.document(sf, side.name)
			if err != nil {
				if err := r.fail(err); err != nil {
					return err
				}
				continue
			}
			finish(d, side.name)
			if err := r.add(d); err != nil {
				return err
			}
		}
		return nil
	}
	if err != nil {
		return r.fail(err)
	}
	return r.add(d)
}

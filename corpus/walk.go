package corpus

import (
	"cmp"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// walkEntry is a file found in a folder: its path in the folder (through
// links, as the user sees it) and the real path of what it is.
type walkEntry struct {
	rel, real string
	link      bool // reached through a symbolic link
}

// walker walks one Folder.
type walker struct {
	r       *reader
	f       Folder
	root    string // real path of f.Dir, "" without one
	found   []walkEntry
	hidden  int
	walked  map[string]string // real path of a folder walked → its rel
	reading map[string]bool   // real paths of the folders being walked
}

// walk returns the paths of the files of f to read, in path order. It
// follows symbolic links (see Folder.Dir) and tells, in notices, of every
// one it does not follow and why: a loop, a broken link, a link to a file
// or folder that is read under its own name anyway. A link that leaves the
// folder is followed, and said. Hidden files and folders (a name starting
// with ".") are not read, and counted in a notice.
func (r *reader) walk(f Folder) ([]string, error) {
	w := &walker{r: r, f: f, walked: map[string]string{}, reading: map[string]bool{}}
	if f.Dir != "" {
		root, err := filepath.EvalSymlinks(f.Dir)
		if err != nil {
			return nil, err
		}
		w.root = root
	}
	if err := w.dir(".", w.root, false); err != nil {
		return nil, err
	}
	if w.hidden > 0 {
		r.notice("%s: %d hidden files and folders (names starting with \".\") not read", f.Name, w.hidden)
	}
	// A file reached twice (a link to it, or two links) is read once,
	// under its own name when it has one in the folder.
	first := map[string]int{}
	var out []string
	keep := make([]bool, len(w.found))
	for i, e := range w.found {
		j, seen := first[e.real]
		switch {
		case !seen:
			first[e.real], keep[i] = i, true
		case w.found[j].link && !e.link:
			keep[j], keep[i], first[e.real] = false, true, i
			r.notice("%s: skipped: the same file as %s", path.Join(f.Name, w.found[j].rel), path.Join(f.Name, e.rel))
		default:
			r.notice("%s: skipped: the same file as %s", path.Join(f.Name, e.rel), path.Join(f.Name, w.found[j].rel))
		}
	}
	for i, e := range w.found {
		if keep[i] {
			out = append(out, e.rel)
		}
	}
	return out, nil
}

// dir walks the folder rel, whose real path is real ("" without Dir).
func (w *walker) dir(rel, real string, link bool) error {
	ents, err := fs.ReadDir(w.f.FS, rel)
	if err != nil {
		if rel == "." {
			return err
		}
		return w.r.fail(&FileError{Path: path.Join(w.f.Name, rel), Err: err})
	}
	if real != "" {
		w.reading[real] = true
		defer delete(w.reading, real)
		w.walked[real] = rel
	}
	for _, e := range ents {
		p := path.Join(rel, e.Name())
		name := path.Join(w.f.Name, p)
		if strings.HasPrefix(e.Name(), ".") {
			w.hidden++
			continue
		}
		sub := ""
		if real != "" {
			sub = filepath.Join(real, e.Name())
		}
		switch {
		case e.Type()&fs.ModeSymlink != 0:
			if err := w.link(p, name); err != nil {
				return err
			}
		case e.IsDir():
			if err := w.dir(p, sub, link); err != nil {
				return err
			}
		case e.Type().IsRegular():
			w.found = append(w.found, walkEntry{rel: p, real: cmp.Or(sub, p), link: link})
		default:
			w.r.notice("%s: skipped: not a regular file (%v)", name, e.Type())
		}
	}
	return nil
}

// link follows the symbolic link at rel.
func (w *walker) link(rel, name string) error {
	if w.root == "" {
		w.r.notice("%s: skipped: a symbolic link, which this folder cannot follow", name)
		return nil
	}
	target, err := filepath.EvalSymlinks(filepath.Join(w.f.Dir, filepath.FromSlash(rel)))
	if err != nil {
		w.r.notice("%s: skipped: a link that leads nowhere (%v)", name, unwrapPath(err))
		return nil
	}
	fi, err := os.Stat(target)
	if err != nil {
		w.r.notice("%s: skipped: a link to %s, which cannot be read (%v)", name, target, unwrapPath(err))
		return nil
	}
	inside, hidden := w.within(target)
	if !inside {
		w.r.notice("%s: a link out of the folder, to %s: followed", name, target)
	}
	if !fi.IsDir() {
		if !fi.Mode().IsRegular() {
			w.r.notice("%s: skipped: a link to %s, not a regular file", name, target)
			return nil
		}
		w.found = append(w.found, walkEntry{rel: rel, real: target, link: true})
		return nil
	}
	switch {
	case w.reading[target]:
		w.r.notice("%s: skipped: a link to %s, a folder it is in: following it would loop", name, target)
		return nil
	case inside && !hidden:
		// Read under its own name, before or after this link.
		w.r.notice("%s: skipped: a link to the folder %s, which is read under its own name", name, w.relOf(target))
		return nil
	}
	if prev, ok := w.walked[target]; ok {
		w.r.notice("%s: skipped: a link to the folder already read as %s", name, path.Join(w.f.Name, prev))
		return nil
	}
	return w.dir(rel, target, true)
}

// within reports whether real is inside the folder, and whether it is
// inside a hidden part of it, which is not read under its own name.
func (w *walker) within(real string) (inside, hidden bool) {
	rel, err := filepath.Rel(w.root, real)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return false, false
	}
	for part := range strings.SplitSeq(filepath.ToSlash(rel), "/") {
		if strings.HasPrefix(part, ".") && part != "." {
			return true, true
		}
	}
	return true, false
}

// relOf names a real path inside the folder as the user sees it.
func (w *walker) relOf(real string) string {
	rel, err := filepath.Rel(w.root, real)
	if err != nil {
		return real
	}
	return path.Join(w.f.Name, filepath.ToSlash(rel))
}

// unwrapPath drops the path an *fs.PathError repeats.
func unwrapPath(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}

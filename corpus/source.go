package corpus

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"path"
	"runtime"
	"strings"
	"sync"
)

// ReadOptions tunes ReadSources.
type ReadOptions struct {
	// Gazetteer is the gazetteer the folders' entity files are merged into;
	// documents are annotated with the result. Nil means DefaultGazetteer.
	Gazetteer *Gazetteer
	// PersonNames, if not nil, reports Chinese personal names for the
	// extractor (Extractor.WithPersonNames): segment.PersonNames.
	PersonNames func(string) bool
	// Unaligned reads a parallel pair whose paragraphs do not align as two
	// monolingual documents, NAME-en and NAME-zh, instead of reporting an
	// *AlignError.
	Unaligned bool
	// Strict stops at the first bad file: ReadSources returns its error and
	// no Sources.
	Strict bool
	// Reserved maps document IDs that are already taken (by documents read
	// some other way) to their origin; a source document with one of them is
	// an error naming both.
	Reserved map[string]string
}

// Folder is a folder of source files.
type Folder struct {
	// Name names the folder in errors, notices and Document.Origin: usually
	// the path the user gave.
	Name string
	FS   fs.FS
	// Dir, when set, is the folder on disk that FS reads (os.DirFS(Dir)):
	// symbolic links in it are then followed, with loops, links out of the
	// folder and links to what is read anyway found by their real paths.
	// Without Dir, links are skipped with a notice.
	Dir string
}

// Sources is what ReadSources read from a set of folders.
type Sources struct {
	// Documents are the good documents, annotated, in the order of their
	// folders and of their paths within a folder.
	Documents []*Document
	// Entities are the entries of the folders' entity files.
	Entities []Entity
	// Gazetteer is ReadOptions.Gazetteer merged with Entities: what the
	// documents were annotated with, and what an index of them should use.
	Gazetteer *Gazetteer
	// Files counts the source files read, good or bad.
	Files int
	// Notices say what was skipped and why (an unknown format, fuzzy PO
	// entries): nothing wrong, but worth telling.
	Notices []string
	// Errors are the bad files, each an *AlignError or a *FileError, in the
	// order they were found. Their documents are not in Documents.
	Errors []error
}

// FileError is a problem with one source file, at a line when it has one.
type FileError struct {
	// Path is the file's path, starting with its Folder's Name.
	Path string
	// Line is 1-based; 0 when the problem is with the file as a whole.
	Line int
	Err  error
}

func (e *FileError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", e.Path, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Path, e.Err)
}

func (e *FileError) Unwrap() error { return e.Err }

// fileErr returns a *FileError for file name at line.
func fileErr(name string, line int, format string, args ...any) *FileError {
	return &FileError{Path: name, Line: line, Err: fmt.Errorf(format, args...)}
}

// AlignError is a parallel pair, NAME.en.md and NAME.zh.md, whose
// paragraphs do not correspond one to one. ReadOptions.Unaligned reads such
// a pair as two monolingual documents instead.
type AlignError struct {
	EN, ZH string // the two files
	// ENCount and ZHCount are the paragraphs of each side.
	ENCount, ZHCount int
	Err              error // from Align; names both files
}

func (e *AlignError) Error() string { return e.Err.Error() }

func (e *AlignError) Unwrap() error { return e.Err }

// maxPassageRunes bounds the length of a passage read from a source: a
// longer paragraph is cut at sentence boundaries into passages of at most
// this length, so that a hit shows a readable extract and a 1 MB paragraph
// does not become one unreadable search result.
const maxPassageRunes = 2000

// ReadSources reads every folder recursively into documents. It reads:
//
//   - Markdown and plain text (.md, .markdown, .txt) with optional YAML
//     front matter: one document, each paragraph a passage (see readText);
//   - parallel pairs NAME.en.md and NAME.zh.md (or .txt, or a language tag
//     such as zh-Hant) in one folder: one bilingual document aligned
//     paragraph by paragraph with Align;
//   - TMX (.tmx), TSV (.tsv) and gettext PO (.po): one document per file,
//     one aligned passage per translation unit, line or message;
//   - entities.yaml, entities.yml or entities.json at the top of a folder:
//     entities added to, or replacing by name, those of the gazetteer; the
//     YAML's facets: mapping sets the folder's FacetSettings.
//
// Hidden files and folders (a name starting with ".") are ignored; other
// files are skipped with a notice. A document's ID is its front matter id,
// else its path without extension (and language tag for a pair) made into
// lower-case words joined by hyphens; two documents with one ID are an error
// naming both files. Every document is annotated by an Extractor with the
// merged gazetteer; years resolve against the document's own date.
//
// A bad file (bad front matter, invalid XML, invalid UTF-8, a TSV line
// without a tab, …) is reported in Sources.Errors as a *FileError naming
// its file and line, and the other files are read, unless opts.Strict. The
// returned error is for what stops the whole read: a cancelled ctx, an
// unreadable folder, or the first bad file when opts.Strict.
func ReadSources(ctx context.Context, folders []Folder, opts ReadOptions) (*Sources, error) {
	base := opts.Gazetteer
	if base == nil {
		var err error
		if base, err = DefaultGazetteer(); err != nil {
			return nil, err
		}
	}
	r := &reader{opts: opts, src: &Sources{}, ids: make(map[string]string)}
	maps.Copy(r.ids, opts.Reserved)
	var ents []entityAt
	for _, f := range folders {
		es, err := r.readFolder(ctx, f)
		if err != nil {
			return nil, err
		}
		ents = append(ents, es...)
	}
	good, bad := checkEntities(ents, base)
	for _, err := range bad {
		if err := r.fail(err); err != nil {
			return nil, err
		}
	}
	r.src.Entities = good
	r.src.Gazetteer = base
	if len(good) > 0 {
		r.src.Gazetteer = base.Merge(good)
	}
	x := NewExtractor(r.src.Gazetteer)
	if r.opts.PersonNames != nil {
		x = x.WithPersonNames(r.opts.PersonNames)
	}
	if err := annotate(ctx, r.src.Documents, x); err != nil {
		return nil, err
	}
	return r.src, nil
}

// reader holds the state of one ReadSources call.
type reader struct {
	opts ReadOptions
	src  *Sources
	ids  map[string]string // document ID → origin
}

// fail records a bad file, or returns its error in strict mode.
func (r *reader) fail(err error) error {
	if r.opts.Strict {
		return err
	}
	r.src.Errors = append(r.src.Errors, err)
	return nil
}

func (r *reader) notice(format string, args ...any) {
	r.src.Notices = append(r.src.Notices, fmt.Sprintf(format, args...))
}

// The kinds of source file.
type fileKind uint8

const (
	kindUnknown fileKind = iota
	kindText             // Markdown or plain text
	kindTMX
	kindTSV
	kindPO
	kindEntities
)

// sourceFile is a file found in a folder, classified by its name.
type sourceFile struct {
	rel      string // slash path within the folder
	kind     fileKind
	markdown bool
	// lang is the language the name gives ("report.zh.md"), "" if none.
	lang Lang
	// stem is rel without extension and language tag: the key that pairs
	// NAME.en.md with NAME.zh.md, and the default document ID.
	stem string
}

// classify tells what a file is from its name. A language tag other than
// English or Chinese ("report.fr.md") makes the file one to skip, with the
// reason.
func classify(rel string) (sf sourceFile, skip string) {
	sf = sourceFile{rel: rel}
	base := path.Base(rel)
	ext := strings.ToLower(path.Ext(base))
	stem := strings.TrimSuffix(rel, path.Ext(base))
	switch ext {
	case ".md", ".markdown":
		sf.kind, sf.markdown = kindText, true
	case ".txt":
		sf.kind = kindText
	case ".tmx":
		sf.kind = kindTMX
	case ".tsv":
		sf.kind = kindTSV
	case ".po":
		sf.kind = kindPO
	case ".yaml", ".yml", ".json":
		if !strings.Contains(rel, "/") && strings.EqualFold(strings.TrimSuffix(base, path.Ext(base)), "entities") {
			sf.kind = kindEntities
			return sf, ""
		}
		return sf, "not a format of documents (only entities.yaml or entities.json at the top of a folder is read)"
	default:
		return sf, "unknown format"
	}
	if tag := path.Ext(stem); tag != "" && sf.kind == kindText {
		t := tag[1:]
		if l, ok := langOf(t); ok {
			sf.lang, stem = l, strings.TrimSuffix(stem, tag)
		} else if looksLikeLangTag(t) {
			return sf, fmt.Sprintf("language %q is neither English nor Chinese", t)
		}
	}
	sf.stem = stem
	return sf, ""
}

// readFolder reads the files of one folder and returns the entries of its
// entity file with where they came from.
func (r *reader) readFolder(ctx context.Context, f Folder) ([]entityAt, error) {
	found, err := r.walk(f)
	if err != nil {
		return nil, fmt.Errorf("read folder %s: %w", f.Name, err)
	}
	files := r.classifyAll(f, found)
	partner, ambiguous, err := r.pairFiles(f, files)
	if err != nil {
		return nil, err
	}

	var ents []entityAt
	var settings FacetSettings
	first := len(r.src.Documents)
	seenEntities := ""
	for i, sf := range files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if ambiguous[i] {
			r.src.Files++
			continue
		}
		name := path.Join(f.Name, sf.rel)
		if sf.kind == kindEntities {
			r.src.Files++
			if seenEntities != "" {
				r.notice("%s: skipped: %s already gives this folder's entities", name, seenEntities)
				continue
			}
			seenEntities = name
			es, s, err := r.readEntities(f, sf, name)
			if err != nil {
				return nil, err
			}
			settings = s
			ents = append(ents, es...)
			continue
		}
		if j, ok := partner[i]; ok {
			if sf.lang != English {
				continue // read with its English partner
			}
			r.src.Files += 2
			if err := r.readPair(f, sf, files[j]); err != nil {
				return nil, err
			}
			continue
		}
		r.src.Files++
		if err := r.readOne(f, sf); err != nil {
			return nil, err
		}
	}
	for _, d := range r.src.Documents[first:] {
		d.Facets = settings.Over(d.Facets) // the folder's, then the document's own
	}
	return ents, nil
}

// classifyAll classifies the files found in folder f, noticing those it
// skips.
func (r *reader) classifyAll(f Folder, found []string) []sourceFile {
	var files []sourceFile
	for _, p := range found {
		sf, skip := classify(p)
		if skip != "" {
			r.notice("%s: skipped: %s", path.Join(f.Name, p), skip)
			continue
		}
		files = append(files, sf)
	}
	return files
}

// readEntities reads a folder's entity file sf and the facet settings in
// it. Its faults go to r.fail; err is what r.fail does not forgive.
func (r *reader) readEntities(f Folder, sf sourceFile, name string) ([]entityAt, FacetSettings, error) {
	es, bad, err := readEntityFile(f.FS, sf.rel, name)
	if err != nil {
		bad = append(bad, err)
	}
	settings, err := readFolderFacets(f.FS, sf.rel, name)
	if err != nil {
		bad = append(bad, err)
	}
	for _, err := range bad {
		if err := r.fail(err); err != nil {
			return nil, settings, err
		}
	}
	return es, settings, nil
}

// readOne reads a file that is not one of a pair and adds its document.
// Its faults go to r.fail; err is what r.fail does not forgive.
func (r *reader) readOne(f Folder, sf sourceFile) error {
	d, err := r.readFile(f, sf)
	if err != nil {
		return r.fail(err)
	}
	if d == nil {
		return nil // a file with nothing for this corpus, noticed
	}
	return r.add(d)
}

// add adds d unless its ID is taken, in which case the error names both
// files.
func (r *reader) add(d *Document) error {
	if prev, dup := r.ids[d.ID]; dup {
		return r.fail(&FileError{Path: d.Origin, Err: fmt.Errorf("document id %q is also the id of %s: rename one of the files or give one another id (%s)", d.ID, prev, idHow)})
	}
	r.ids[d.ID] = d.Origin
	r.src.Documents = append(r.src.Documents, d)
	return nil
}

// readFile reads one file that is not part of a pair into a document.
func (r *reader) readFile(f Folder, sf sourceFile) (*Document, error) {
	name := path.Join(f.Name, sf.rel)
	in, enc, file, err := r.open(f, sf, name)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	var d *Document
	switch sf.kind {
	case kindText:
		var t *textFile
		if t, err = readText(in, name, sf.markdown); err == nil {
			r.noticeUnknown(name, t)
			if d, err = t.document(sf, name); err == nil && t.meta.id == "" {
				d.ID, err = r.pathID(sf, name)
			}
		}
	case kindTMX:
		var n tmxStats
		if d, n, err = readTMXIn(in, name, enc); err == nil && n.skipped > 0 {
			r.notice("%s: skipped %d translation units without both an English and a Chinese segment", name, n.skipped)
		}
	case kindTSV:
		d, err = readTSV(in, name, r.notice)
	case kindPO:
		d, err = readPOIn(in, name, enc, r.notice)
	}
	if err != nil {
		return nil, err
	}
	if d == nil {
		return nil, nil
	}
	if d.ID == "" {
		if d.ID, err = r.pathID(sf, name); err != nil {
			return nil, err
		}
	}
	if d.Title == (Text{}) {
		// Translation memories have no title: the file's name is the best
		// label there is.
		b := path.Base(sf.stem)
		d.Title = Text{EN: b, ZH: b}
	} else if d.Title.ZH == "" && sf.kind == kindPO {
		d.Title.ZH = d.Title.EN
	}
	finish(d, name)
	return d, nil
}

// pathID makes the ID of a document whose file gives none from its path:
// the path without extension (slugID), or, when an earlier file took that
// ("notes.po" beside "notes.tmx"), with the extension added
// ("notes-tmx"), so that ids are unique by construction.
func (r *reader) pathID(sf sourceFile, name string) (string, error) {
	id, err := slugID(sf.stem, name)
	if err != nil {
		return "", err
	}
	if _, taken := r.ids[id]; !taken {
		return id, nil
	}
	ext := strings.TrimPrefix(strings.ToLower(path.Ext(sf.rel)), ".")
	if alt, err := slugID(sf.stem+"-"+ext, name); err == nil {
		if _, taken := r.ids[alt]; !taken {
			r.notice("%s: id %s is the id of %s: this file's document is %s", name, id, r.ids[id], alt)
			return alt, nil
		}
	}
	return id, nil // add reports the collision
}

// open opens a source file of f and decodes it to UTF-8 (see decode);
// the caller closes file.
func (r *reader) open(f Folder, sf sourceFile, name string) (in io.Reader, enc string, file io.Closer, err error) {
	fl, err := f.FS.Open(sf.rel)
	if err != nil {
		return nil, "", nil, &FileError{Path: name, Err: err}
	}
	in, enc, err = r.decode(fl, name)
	if err != nil {
		fl.Close()
		return nil, "", nil, err
	}
	return in, enc, fl, nil
}

// decode returns file's text as UTF-8 (see decodeText) and tells when it
// was read in another encoding.
func (r *reader) decode(file io.Reader, name string) (io.Reader, string, error) {
	in, enc, err := decodeText(file, name)
	if err == nil && enc != encUTF8 {
		r.notice("%s: read as %s", name, enc)
	}
	return in, enc, err
}

// noticeUnknown tells about front matter keys that were ignored.
func (r *reader) noticeUnknown(name string, t *textFile) {
	if len(t.unknown) > 0 {
		r.notice("%s: front matter keys ignored: %s (read are %s)", name, strings.Join(t.unknown, ", "), strings.Join(frontMatterKeys, ", "))
	}
}

// annotate runs x over docs on every CPU: the extractor keeps no state
// between documents.
func annotate(ctx context.Context, docs []*Document, x *Extractor) error {
	work := make(chan *Document)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for d := range work {
				x.Annotate(d)
			}
		})
	}
	var err error
	for _, d := range docs {
		if err = ctx.Err(); err != nil {
			break
		}
		work <- d
	}
	close(work)
	wg.Wait()
	return err
}

package index

import (
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/mapping"
)

// TestDiskUsageAccountsForEveryByte reads the essay's generation: the parts
// add up to the files' sizes, the text fields have positions and offsets
// (phrases and highlights need them) and keyword fields none, and nearly
// all of each zap file is attributed to a known part.
func TestDiskUsageAccountsForEveryByte(t *testing.T) {
	ix := testIndex(t)
	u, err := DiskUsageOf(filepath.Dir(ix.dir))
	if err != nil {
		t.Fatal(err)
	}
	var files, zap, subs int64
	err = filepath.WalkDir(ix.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		files += fi.Size()
		if strings.HasSuffix(p, ".zap") {
			zap += fi.Size()
		}
		if d.Name() == substrFile || d.Name() == wordsFile {
			subs += fi.Size()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var sum, other int64
	by := map[string]int64{}
	for _, p := range u.Parts {
		sum += p.Bytes
		by[p.Kind+"/"+p.Field] += p.Bytes
		if p.Kind == DiskOther {
			other += p.Bytes
		}
	}
	if u.Total != files || sum != files {
		t.Errorf("total %d, parts add up to %d, files %d", u.Total, sum, files)
	}
	for _, k := range []string{DiskStored + "/", DiskPostings + "/" + fieldEN, DiskPostings + "/" + fieldZH, DiskLocations + "/" + fieldEN, DiskLocations + "/" + fieldZH2, DiskDictionary + "/" + fieldZH, DiskFacets + "/",
		DiskPostings + "/" + fieldENStem, DiskPostings + "/" + fieldZHLatin, DiskLocations + "/" + fieldZHLatin, DiskDictionary + "/" + fieldEN,
		DiskPostings + "/" + fieldZH1, DiskPostings + "/" + fieldZH2, DiskDictionary + "/" + fieldZH1, DiskDictionary + "/" + fieldZH2} {
		if by[k] <= 0 {
			t.Errorf("no bytes for %s: %v", k, u.Parts)
		}
	}
	for _, f := range []string{fieldCompany, fieldYear, fieldPos, fieldEntity, fieldZH, fieldZH1, fieldENStem} {
		if n := by[DiskLocations+"/"+f]; n != 0 {
			t.Errorf("field %s has %d bytes of locations", f, n)
		}
	}
	// Searches sort and count facets from the facet table: bleve keeps
	// no doc values, but where tests ask for them.
	docValues := func(u DiskUsage) (n int64) {
		for _, p := range u.Parts {
			if p.Kind == DiskDocValues {
				n += p.Bytes
			}
		}
		return n
	}
	if n := docValues(u); n != 0 {
		t.Errorf("%d bytes of doc values", n)
	}
	// Nor the fields only bleve's own sorts read.
	for _, f := range []string{fieldPos, fieldYearMin, fieldYearMax} {
		if n := by[DiskPostings+"/"+f] + by[DiskDictionary+"/"+f]; n != 0 {
			t.Errorf("field %s has %d bytes", f, n)
		}
	}
	dv, err := DiskUsageOf(filepath.Dir(docValuesIndex(t, 1).dir))
	if err != nil {
		t.Fatal(err)
	}
	if n := docValues(dv); n <= 0 {
		t.Errorf("the build with doc values has %d bytes of them", n)
	}
	// bleve stores the passages' ranks only; the records are in the store.
	if u.StoredRaw <= 0 || u.StoredBlocked <= 0 || u.StoredBlocked >= u.StoredRaw {
		t.Errorf("stored fields: %d bytes on disk, %d raw, %d in blocks", by[DiskStored+"/"], u.StoredRaw, u.StoredBlocked)
	}
	if st := by[DiskStored+"/"+DiskPassageStore]; st <= by[DiskStored+"/"] {
		t.Errorf("passage store %d bytes, bleve's stored IDs %d", st, by[DiskStored+"/"])
	}
	// What is not in the zap files (bolt, manifest, gazetteer) is other;
	// of the zap files, only section indexes and footers should be.
	// The substring and word indexes' other bytes are their magic and
	// footers.
	nonZap := files - zap - by[DiskFacets+"/"] - by[DiskStored+"/"+DiskPassageStore] - subs + int64(len(substrMagic)+substrFormat.footer()+len(wordsMagic)+wordsFormat.footer())
	// Each field has its entry in the sections index and its section
	// headers: at the essay's size, with the text fields elsewhere, those
	// are more than 2% of the zap file.
	fields := len(ix.bi.Mapping().(*mapping.IndexMappingImpl).DefaultMapping.Properties) + 2 // and _id, _all
	if unattributed := other - nonZap; unattributed < 0 || float64(unattributed) > 0.02*float64(zap)+64*float64(fields) {
		t.Errorf("%d of %d zap bytes not attributed to a part", unattributed, zap)
	}
}

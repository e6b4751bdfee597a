package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
)

// keptJSONBytes bounds the JSON kept for the index's kept answers.
const keptJSONBytes = 16 << 20

// keptJSON keeps the JSON of answers the index keeps (Results.Answer), so
// that a search answered from the index's cache is not encoded again:
// encoding a page with its facets (about 40 KB on a large corpus) was
// most of the work of such a request. When full it is emptied, as the
// token cache is: popular answers come back at once.
type keptJSON struct {
	mu   sync.Mutex
	m    map[keptKey]keptBody
	size int64
}

// keptKey names an answer's JSON: the answer, and the query as the
// client wrote it, which the JSON repeats (answers are shared by queries
// that differ only in spaces).
type keptKey struct {
	answer uint64
	q      string
}

// keptBody is an answer's JSON with took_ms 0; took is the offset of that
// 0, which each response replaces with its own time.
type keptBody struct {
	b    []byte
	took int
}

func (k *keptJSON) get(key keptKey) (keptBody, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	b, ok := k.m[key]
	return b, ok
}

func (k *keptJSON) put(key keptKey, b keptBody) {
	n := int64(len(b.b) + len(key.q) + 64)
	if n > keptJSONBytes/8 {
		return
	}
	b.b = bytes.Clone(b.b) // not the encoder's larger buffer
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.m == nil || k.size+n > keptJSONBytes {
		k.m, k.size = map[keptKey]keptBody{}, 0
	}
	if _, ok := k.m[key]; !ok {
		k.m[key] = b
		k.size += n
	}
}

// tookField is how the encoder writes took_ms 0. Only q is written before
// took_ms, and inside a string every quote is escaped: the first
// occurrence is the field's.
var tookField = []byte(`"took_ms":0,`)

// encodeKept encodes v as c.JSON does with echo's default serializer
// (apiSearch checks that it is the one), with took_ms 0.
func encodeKept(v apiSearchResults) (keptBody, error) {
	v.TookMS = 0
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		return keptBody{}, fmt.Errorf("encode search results: %w", err)
	}
	i := bytes.Index(buf.Bytes(), tookField)
	if i < 0 {
		return keptBody{}, fmt.Errorf("encode search results: no %s in the JSON", tookField)
	}
	return keptBody{b: buf.Bytes(), took: i + len(tookField) - 2}, nil
}

// writeKept sends b with took_ms set to took, as c.JSON would send it.
func writeKept(c echo.Context, b keptBody, took time.Duration) error {
	ms, err := json.Marshal(float64(took.Microseconds()) / 1000)
	if err != nil {
		return err
	}
	w := c.Response()
	w.Header().Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	w.WriteHeader(http.StatusOK)
	for _, part := range [][]byte{b.b[:b.took], ms, b.b[b.took+1:]} {
		if _, err := w.Write(part); err != nil {
			return err
		}
	}
	return nil
}

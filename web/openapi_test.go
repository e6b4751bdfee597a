package web

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// A validator for the subset of JSON Schema (as OpenAPI 3.0 has it) that
// api/openapi.json uses: type, properties, required, items, enum, nullable,
// additionalProperties: false and $ref to components. Anything else in a
// schema is an error, so the spec cannot quietly use a keyword this does
// not check.

type schema struct {
	Ref                  string             `json:"$ref"`
	Type                 string             `json:"type"`
	Properties           map[string]*schema `json:"properties"`
	Required             []string           `json:"required"`
	Items                *schema            `json:"items"`
	Enum                 []any              `json:"enum"`
	Nullable             bool               `json:"nullable"`
	AdditionalProperties *bool              `json:"additionalProperties"`
}

// schemaKeywords are the keys a schema may have: the checked ones, and
// annotations and parameter bounds (used only for parameters, never for
// responses).
var schemaKeywords = []string{"$ref", "type", "properties", "required", "items", "enum", "nullable", "additionalProperties",
	"description", "default", "minimum", "maximum", "maxLength"}

type spec struct {
	OpenAPI    string                          `json:"openapi"`
	Paths      map[string]map[string]operation `json:"paths"`
	Components struct {
		Schemas map[string]*schema `json:"schemas"`
	} `json:"components"`
}

type operation struct {
	Responses map[string]struct {
		Content map[string]struct {
			Schema *schema `json:"schema"`
		} `json:"content"`
	} `json:"responses"`
}

func loadSpec(t testing.TB) *spec {
	t.Helper()
	b, err := files.ReadFile("api/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var s spec
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("api/openapi.json: %v", err)
	}
	// Every schema object must use only known keywords.
	var raw any
	_ = json.Unmarshal(b, &raw)
	checkKeywords(t, raw, "", false)
	return &s
}

// checkKeywords walks the document and fails on an unknown key inside a
// schema.
func checkKeywords(t testing.TB, v any, path string, inSchema bool) {
	switch v := v.(type) {
	case map[string]any:
		for k, c := range v {
			if inSchema && !slices.Contains(schemaKeywords, k) {
				t.Errorf("openapi.json %s: schema keyword %q is not checked by the test validator", path, k)
			}
			switch {
			case k == "schema" || k == "items":
				checkKeywords(t, c, path+"/"+k, true)
			case (k == "properties" || k == "schemas") && (inSchema || strings.HasSuffix(path, "components")):
				for name, s := range c.(map[string]any) {
					checkKeywords(t, s, path+"/"+k+"/"+name, true)
				}
			case inSchema:
			default:
				checkKeywords(t, c, path+"/"+k, false)
			}
		}
	case []any:
		for i, c := range v {
			checkKeywords(t, c, path+"/"+strconv.Itoa(i), false)
		}
	}
}

// validate returns the ways x breaks s.
func (sp *spec) validate(s *schema, x any, at string) []string {
	if s.Ref != "" {
		name, ok := strings.CutPrefix(s.Ref, "#/components/schemas/")
		ref := sp.Components.Schemas[name]
		if !ok || ref == nil {
			return []string{at + ": unresolved $ref " + s.Ref}
		}
		return sp.validate(ref, x, at)
	}
	if x == nil {
		if s.Nullable {
			return nil
		}
		return []string{at + ": null, want " + s.Type}
	}
	var errs []string
	if len(s.Enum) > 0 && !slices.ContainsFunc(s.Enum, func(e any) bool { return fmt.Sprint(e) == fmt.Sprint(x) }) {
		errs = append(errs, fmt.Sprintf("%s: %v is not one of %v", at, x, s.Enum))
	}
	switch s.Type {
	case "object":
		m, ok := x.(map[string]any)
		if !ok {
			return append(errs, fmt.Sprintf("%s: %T, want object", at, x))
		}
		for _, r := range s.Required {
			if _, ok := m[r]; !ok {
				errs = append(errs, at+": lacks required "+r)
			}
		}
		for k, v := range m {
			p, ok := s.Properties[k]
			if !ok {
				if s.AdditionalProperties != nil && !*s.AdditionalProperties {
					errs = append(errs, at+": has undocumented property "+k)
				}
				continue
			}
			errs = append(errs, sp.validate(p, v, at+"."+k)...)
		}
	case "array":
		a, ok := x.([]any)
		if !ok {
			return append(errs, fmt.Sprintf("%s: %T, want array", at, x))
		}
		for i, v := range a {
			errs = append(errs, sp.validate(s.Items, v, fmt.Sprintf("%s[%d]", at, i))...)
		}
	case "string":
		if _, ok := x.(string); !ok {
			errs = append(errs, fmt.Sprintf("%s: %T, want string", at, x))
		}
	case "integer", "number":
		n, ok := x.(json.Number)
		if !ok {
			return append(errs, fmt.Sprintf("%s: %T, want %s", at, x, s.Type))
		}
		if _, err := n.Int64(); s.Type == "integer" && err != nil {
			errs = append(errs, fmt.Sprintf("%s: %s is not an integer", at, n))
		}
	case "boolean":
		if _, ok := x.(bool); !ok {
			errs = append(errs, fmt.Sprintf("%s: %T, want boolean", at, x))
		}
	default:
		errs = append(errs, at+": schema has no type the validator knows: "+s.Type)
	}
	return errs
}

// operationFor finds the spec's path for a request path: {name} matches a
// segment, or, as the last segment, the rest of the path (passage IDs have
// a slash).
func (sp *spec) operationFor(reqPath string) (string, bool) {
	segs := strings.Split(strings.Trim(reqPath, "/"), "/")
	for p := range sp.Paths {
		tsegs := strings.Split(strings.Trim(p, "/"), "/")
		if len(tsegs) > len(segs) {
			continue
		}
		ok := true
		for i, ts := range tsegs {
			last := i == len(tsegs)-1
			switch {
			case strings.HasPrefix(ts, "{") && last:
				ok = ok && strings.Join(segs[i:], "/") != ""
			case strings.HasPrefix(ts, "{"):
				ok = ok && segs[i] != ""
			default:
				ok = ok && ts == segs[i]
			}
		}
		if ok && (len(tsegs) == len(segs) || strings.HasPrefix(tsegs[len(tsegs)-1], "{")) {
			return p, true
		}
	}
	return "", false
}

// decode reads JSON keeping numbers as json.Number.
func decode(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	err := d.Decode(&v)
	return v, err
}

// TestOpenAPIResponses checks every JSON answer of the route table against
// the schema the spec gives for its path, status and media type.
func TestOpenAPIResponses(t *testing.T) {
	sp := loadSpec(t)
	if !strings.HasPrefix(sp.OpenAPI, "3.0.") {
		t.Errorf("openapi = %q, want 3.0.x", sp.OpenAPI)
	}
	ts := newTestServer(t, newFake(), 0)
	checked := 0
	for _, tc := range routeCases {
		u, _ := url.Parse(tc.target)
		if !isAPI(u.Path) {
			continue
		}
		rec := ts.get(t, tc.target)
		mt, _, _ := mime.ParseMediaType(rec.Header().Get("Content-Type"))
		p, ok := sp.operationFor(u.Path)
		if !ok {
			if rec.Code != 404 {
				t.Errorf("GET %s: path is not in openapi.json", tc.target)
			}
			continue
		}
		resp, ok := sp.Paths[p]["get"].Responses[strconv.Itoa(rec.Code)]
		if !ok {
			t.Errorf("GET %s: status %d is not documented for %s", tc.target, rec.Code, p)
			continue
		}
		content, ok := resp.Content[mt]
		if !ok {
			t.Errorf("GET %s: media type %q is not documented for %s %d", tc.target, mt, p, rec.Code)
			continue
		}
		var docs [][]byte
		switch mt {
		case "application/json":
			docs = [][]byte{rec.Body.Bytes()}
		case "application/x-ndjson":
			sc := bufio.NewScanner(bytes.NewReader(rec.Body.Bytes()))
			sc.Buffer(nil, 1<<20)
			for sc.Scan() {
				docs = append(docs, slices.Clone(sc.Bytes()))
			}
		default:
			continue
		}
		for _, d := range docs {
			v, err := decode(d)
			if err != nil {
				t.Errorf("GET %s: %v", tc.target, err)
				continue
			}
			for _, e := range sp.validate(content.Schema, v, "$") {
				t.Errorf("GET %s: %s", tc.target, e)
			}
			checked++
		}
	}
	if checked < 20 {
		t.Errorf("checked %d JSON documents, want the route table's 20 or more", checked)
	}
}

// TestOpenAPICoversRoutes checks that the spec and the router list the same
// API paths.
func TestOpenAPICoversRoutes(t *testing.T) {
	sp := loadSpec(t)
	_, e, err := newServer(Config{Searcher: newFake()})
	if err != nil {
		t.Fatal(err)
	}
	var routes []string
	for _, r := range e.Routes() {
		if !isAPI(r.Path) {
			continue
		}
		p := strings.ReplaceAll(r.Path, ":id", "{id}")
		p = strings.ReplaceAll(p, "*", "{id}")
		routes = append(routes, p)
		if _, ok := sp.Paths[p]; !ok {
			t.Errorf("route %s %s is not in openapi.json", r.Method, r.Path)
		}
	}
	for p := range sp.Paths {
		if !slices.Contains(routes, p) {
			t.Errorf("openapi.json has %s, which no route serves", p)
		}
	}
}

// TestValidator makes sure the validator can fail.
func TestValidator(t *testing.T) {
	sp := loadSpec(t)
	hit := &schema{Ref: "#/components/schemas/Hit"}
	good := `{"id":"d/p000","doc":"d","position":0,"section":"body","text":{"en":"","zh":""},"highlights":{"en":[],"zh":[]},"companies":[],"years":[2009],"speakers":[],"score":1.5,"via_equivalent":false}`
	for _, tc := range []struct {
		doc  string
		want string // substring of an error; "" for valid
	}{
		{good, ""},
		{strings.Replace(good, `"score":1.5`, `"score":1`, 1), ""},
		{strings.Replace(good, `"doc":"d",`, ``, 1), "lacks required doc"},
		{strings.Replace(good, `"position":0`, `"position":0.5`, 1), "not an integer"},
		{strings.Replace(good, `"position":0`, `"position":"0"`, 1), "want integer"},
		{strings.Replace(good, `"companies":[]`, `"companies":null`, 1), "null, want array"},
		{strings.Replace(good, `"years":[2009]`, `"years":["2009"]`, 1), "want integer"},
		{strings.Replace(good, `"section":"body"`, `"section":"appendix"`, 1), "is not one of"},
		{strings.Replace(good, `"score":1.5`, `"score":1.5,"extra":1`, 1), "undocumented property extra"},
		{`[]`, "want object"},
	} {
		v, err := decode([]byte(tc.doc))
		if err != nil {
			t.Fatal(err)
		}
		errs := sp.validate(hit, v, "$")
		switch {
		case tc.want == "" && len(errs) > 0:
			t.Errorf("validate(%s) = %v, want valid", tc.doc, errs)
		case tc.want != "" && !strings.Contains(strings.Join(errs, "\n"), tc.want):
			t.Errorf("validate(%s) = %v, want an error with %q", tc.doc, errs, tc.want)
		}
	}
	pc := &schema{Ref: "#/components/schemas/PassageContext"}
	v, _ := decode([]byte(`{"id":"d/p000","doc":"d","position":0,"section":"body","text":{"en":"","zh":""},"companies":[],"years":[],"speakers":[],"prev":null,"next":"d/p001","document":{"id":"d","title":{"en":"","zh":""}}}`))
	if errs := sp.validate(pc, v, "$"); len(errs) > 0 {
		t.Errorf("a passage with a null prev: %v, want valid (prev is nullable)", errs)
	}
}

// TestOpenAPIStatesBounds: every operation states the most bytes it
// answers (x-max-bytes), and the answers TestOpenAPIResponses fetches are
// within it.
func TestOpenAPIStatesBounds(t *testing.T) {
	var sp struct {
		Paths map[string]map[string]struct {
			MaxBytes int `json:"x-max-bytes"`
		} `json:"paths"`
	}
	b, err := files.ReadFile("api/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &sp); err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t, newFake(), 0)
	for path, ops := range sp.Paths {
		for method, op := range ops {
			if op.MaxBytes <= 0 {
				t.Errorf("%s %s states no x-max-bytes", method, path)
				continue
			}
			target := strings.ReplaceAll(path, "{id}", "huawei-bytedance")
			if strings.HasPrefix(path, "/api/passages/") {
				target = strings.ReplaceAll(path, "{id}", "huawei-bytedance/p002")
			}
			if rec := ts.get(t, target); rec.Body.Len() > op.MaxBytes {
				t.Errorf("GET %s: %d bytes, over the stated %d", target, rec.Body.Len(), op.MaxBytes)
			}
		}
	}
}

// TestEveryRouteStatesABound: every route the router serves states the
// most bytes it answers in openapi.json: the API's operations as
// x-max-bytes, the others (pages, /livez, /metrics, files) under x-pages;
// and every embedded file is within its bound. TestSlowClients checks the
// answers against these bounds on long passages.
func TestEveryRouteStatesABound(t *testing.T) {
	bounds := statedBounds(t)
	_, e, err := newServer(Config{Searcher: newFake()})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, r := range e.Routes() {
		if r.Method != http.MethodGet {
			continue
		}
		checked++
		p := specPath(r.Path)
		if bounds[p] <= 0 {
			t.Errorf("route %s %s (%s) states no bound on its size", r.Method, r.Path, p)
		}
	}
	if checked < 28 {
		t.Errorf("%d GET routes checked, want the router's 28 or more", checked)
	}
	err = fs.WalkDir(files, "static", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if info, err := d.Info(); err != nil || info.Size() > int64(bounds["/static/{file}"]) {
			t.Errorf("%s: %v bytes, over the stated %d (%v)", path, info.Size(), bounds["/static/{file}"], err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// statedBounds returns the x-max-bytes of every path of openapi.json, API
// and pages; an API path's exports under path+" export".
func statedBounds(t testing.TB) map[string]int {
	t.Helper()
	var sp struct {
		Paths map[string]map[string]struct {
			MaxBytes       int `json:"x-max-bytes"`
			MaxExportBytes int `json:"x-max-bytes-export"`
		} `json:"paths"`
		Pages map[string]json.RawMessage `json:"x-pages"`
	}
	b, err := files.ReadFile("api/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &sp); err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for p, ops := range sp.Paths {
		out[p] = ops["get"].MaxBytes
		if n := ops["get"].MaxExportBytes; n > 0 {
			out[p+" export"] = n
		}
	}
	for p, raw := range sp.Pages {
		if p == "description" {
			continue
		}
		var pg struct {
			MaxBytes int `json:"x-max-bytes"`
		}
		if err := json.Unmarshal(raw, &pg); err != nil {
			t.Fatalf("x-pages %s: %v", p, err)
		}
		out[p] = pg.MaxBytes
	}
	return out
}

// specPath returns the path openapi.json names a route by.
func specPath(route string) string {
	switch {
	case route == "/static/*":
		return "/static/{file}"
	case strings.HasSuffix(route, "/*"):
		return strings.TrimSuffix(route, "*") + "{id}"
	}
	return strings.ReplaceAll(route, ":id", "{id}")
}

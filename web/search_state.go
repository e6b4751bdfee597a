// The state of a search page as links that change it.

package web

import (
	"maps"
	"net/url"
	"slices"
	"strconv"
)

// state is the URL parameters of a search page, for links that change one
// of them. Only known parameters are kept, so a link never carries on junk.
type state struct {
	path string
	v    url.Values
}

// newState keeps the non-empty values of the parameters keys (and ui).
func newState(path string, v url.Values, keys []string) state {
	st := state{path: path, v: url.Values{}}
	for _, k := range append(slices.Clone(keys), "ui") {
		for _, s := range v[k] {
			if s != "" {
				st.v.Add(k, s)
			}
		}
	}
	return st
}

// href returns the link to the state's page with parameters v.
func (st state) href(v url.Values) string {
	u := url.URL{Path: st.path, RawQuery: v.Encode()}
	return u.String()
}

// edit returns a copy of the parameters, without the page, since any change
// to a search starts its results over.
func (st state) edit() url.Values {
	v := url.Values{}
	for k, vs := range st.v {
		if k != "page" {
			v[k] = slices.Clone(vs)
		}
	}
	return v
}

// carry returns the parameters a link to a passage carries, so its page
// can mark the search's words and link back to the results: the state's,
// less ui, which page.link adds, and less a concordance's sort, which a
// search does not know.
func (st state) carry() url.Values {
	v := url.Values{}
	for k, vs := range st.v {
		if k == "ui" || (k == "sort" && st.path == "/concordance") {
			continue
		}
		v[k] = slices.Clone(vs)
	}
	return v
}

// has reports whether key has the value val.
func (st state) has(key, val string) bool { return slices.Contains(st.v[key], val) }

// toggle links to the search with val added to key, or removed when
// present.
func (st state) toggle(key, val string) string {
	if st.has(key, val) {
		return st.without(key, val)
	}
	v := st.edit()
	v.Add(key, val)
	return st.href(v)
}

// without links to the search without the value val of key.
func (st state) without(key, val string) string {
	v := st.edit()
	v[key] = slices.DeleteFunc(v[key], func(s string) bool { return s == val })
	if len(v[key]) == 0 {
		delete(v, key)
	}
	return st.href(v)
}

// with links to the search with key set to val.
func (st state) with(key, val string) string {
	v := st.edit()
	v.Set(key, val)
	return st.href(v)
}

// page links to page n of the search.
func (st state) page(n int) string {
	v := st.edit()
	if n > 1 {
		v.Set("page", strconv.Itoa(n))
	}
	return st.href(v)
}

// elsewhere links to path with the state's parameters, less drop, plus
// set.
func (st state) elsewhere(path string, set url.Values, drop ...string) string {
	v := st.edit()
	for _, k := range drop {
		delete(v, k)
	}
	maps.Copy(v, set)
	u := url.URL{Path: path, RawQuery: v.Encode()}
	return u.String()
}

// hidden lists the state's parameters, less drop and ui, as hidden form
// fields; the template adds ui.
func (st state) hidden(drop ...string) []field {
	var out []field
	for _, k := range sortedKeys(st.v) {
		if k == "ui" || k == "page" || slices.Contains(drop, k) {
			continue
		}
		for _, s := range st.v[k] {
			out = append(out, field{Name: k, Value: s})
		}
	}
	return out
}

func sortedKeys(v url.Values) []string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

package web

import (
	"net/url"
	"strconv"
)

// pager links the pages of a newest-first list: First goes back to the
// newest page (empty on it), Older to the next page (empty on the last).
type pager struct {
	First string
	Older string
}

// newPager builds the links for a list at path with query q, now showing
// the page before `before` and with next as the Before of the next page.
func newPager(path string, q url.Values, before, next int64) pager {
	var p pager
	link := func(b int64) string {
		v := url.Values{}
		for k, vs := range q {
			if k != "before" && len(vs) > 0 && vs[0] != "" {
				v.Set(k, vs[0])
			}
		}
		if b > 0 {
			v.Set("before", strconv.FormatInt(b, 10))
		}
		if len(v) == 0 {
			return path
		}
		return path + "?" + v.Encode()
	}
	if before > 0 {
		p.First = link(0)
	}
	if next > 0 {
		p.Older = link(next)
	}
	return p
}

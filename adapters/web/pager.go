package web

import (
	"bytes"
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

// pagerText are the pager's words, escaped.
type pagerText struct{ label, first, older string }

// newPagerText is the pager's words in the language of msg, which
// returns a message escaped.
func newPagerText(msg func(key string) string) pagerText {
	return pagerText{label: msg("pager.label"), first: msg("pager.first"), older: msg("pager.older")}
}

// writeBackToFirst writes the notice of a page past the last one: its
// text up to the link (escaped, ending in `<a href="`), the link back to
// the newest page, and the paragraph's end.
func (p pager) writeBackToFirst(b *bytes.Buffer, text string, t *pagerText) {
	writeStrings(b, text, escapeURLAttr(p.First), `">`, t.first, "</a></p>")
}

// write writes the pager as the "pager" template of partials.html does,
// with its words t.
func (p pager) write(b *bytes.Buffer, t *pagerText) {
	if p.First == "" && p.Older == "" {
		return
	}
	writeStrings(b, "\n<nav class=\"pager\" aria-label=\"", t.label, "\">")
	if p.First != "" {
		writeStrings(b, `<a href="`, escapeURLAttr(p.First), `">`, t.first, "</a>")
	}
	if p.Older != "" {
		writeStrings(b, `<a href="`, escapeURLAttr(p.Older), `" rel="next">`, t.older, "</a>")
	}
	b.WriteString("\n</nav>")
}

package application

// Page asks for one page of a newest-first list. Pages are keyed by id
// ("older than Before") rather than by offset, so a page stays correct while
// new tickets arrive.
type Page struct {
	Before int64 // 0: from the newest
	Limit  int
}

// Default and largest page sizes.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// Normalized returns p with Limit between 1 and MaxPageSize
// (DefaultPageSize when unset) and no negative Before. Handlers call it, so
// no storage adapter is asked for an empty or unbounded page.
func (p Page) Normalized() Page {
	if p.Limit <= 0 {
		p.Limit = DefaultPageSize
	}
	if p.Limit > MaxPageSize {
		p.Limit = MaxPageSize
	}
	if p.Before < 0 {
		p.Before = 0
	}
	return p
}

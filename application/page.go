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

// Normalized returns p with a sane limit.
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

package sqlstore

import (
	"slices"
	"sync"
	"sync/atomic"
)

// Observers of the queries stores run, by store. They live beside Store,
// not in it, and cost one atomic load per query while none is set.
var (
	observers sync.Map     // *Store → func(query string, args []any)
	observing atomic.Int32 // how many stores have an observer
)

// OnQuery makes s call fn before every query it runs through its
// statements (reads, writes, in a transaction or not), with the query as
// the database receives it (placeholders rebound to the dialect's) and a
// copy of its arguments in their stored form (times encoded); nil stops it. fn runs on the querying goroutine,
// so it must be safe for concurrent use and quick. Begin and commit are
// not queries here. It is meant for tests that count statements or read
// their plans.
func (s *Store) OnQuery(fn func(query string, args []any)) {
	if fn == nil {
		if _, had := observers.LoadAndDelete(s); had {
			observing.Add(-1)
		}
		return
	}
	if _, had := observers.Swap(s, fn); !had {
		observing.Add(1)
	}
}

// observe tells s's observer, if any, that q runs with args.
func (s *Store) observe(q string, args []any) {
	if observing.Load() == 0 {
		return
	}
	if fn, ok := observers.Load(s); ok {
		fn.(func(string, []any))(s.db.Rebind(q), s.args(slices.Clone(args)))
	}
}

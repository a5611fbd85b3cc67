package sqlstore

import (
	"sync"
	"time"
)

// kept is a value read from the database that is asked for far more often
// than it changes (the response targets, the assignee list): it is
// answered from memory for fresh after it was read, and read again at once
// after a write through the same store calls forget. A write elsewhere (a
// replica, the command line) shows within fresh. A read begun before a
// write is not kept.
type kept[T any] struct {
	fresh time.Duration
	clone func(T) T // callers get copies, so none changes what is kept

	mu     sync.Mutex
	key    string // what value was read for
	value  T
	has    bool
	readAt time.Time
	writes uint64 // forgets so far
}

// load returns the value kept under key while fresh; otherwise it calls
// read and keeps what it returns.
func (k *kept[T]) load(key string, read func() (T, error)) (T, error) {
	k.mu.Lock()
	if k.has && k.key == key && time.Since(k.readAt) < k.fresh {
		v := k.clone(k.value)
		k.mu.Unlock()
		return v, nil
	}
	writes := k.writes
	k.mu.Unlock()
	start := time.Now()
	v, err := read()
	if err != nil {
		return v, err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.writes == writes {
		k.key, k.value, k.has, k.readAt = key, k.clone(v), true, start
	}
	return v, nil
}

// forget drops what was kept, so that the next load reads; called after
// every write of what it keeps, committed or not.
func (k *kept[T]) forget() {
	k.mu.Lock()
	defer k.mu.Unlock()
	var zero T
	k.value, k.has = zero, false
	k.writes++
}

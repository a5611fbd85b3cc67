package sqlstore

import (
	"slices"
	"sync"
	"time"
)

// staffListFresh is how long Users.List answers a staff list (the
// assignees every queue page and staff ticket page shows) from what it read
// last. A role or account changed through the same Users shows at once;
// one changed by another replica or by the command line, at most that long
// after. Only what is shown waits: assigning reads the assignee afresh.
const staffListFresh = time.Second

// staffList keeps the last staff list read: the rows of its one page,
// under the query and arguments that read them.
type staffList struct {
	mu     sync.Mutex
	key    string
	rows   []userRow
	readAt time.Time
	writes uint64 // user writes so far: a read begun before one is not kept
}

// get returns the rows kept under key while fresh, and the writes counted
// so far, to hand to put after reading.
func (c *staffList) get(key string) (rows []userRow, ok bool, writes uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.rows != nil && c.key == key && time.Since(c.readAt) < staffListFresh {
		return slices.Clone(c.rows), true, c.writes
	}
	return nil, false, c.writes
}

// put keeps rows, read under key from start, unless a user was written
// since get counted writes.
func (c *staffList) put(key string, rows []userRow, start time.Time, writes uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.writes == writes {
		c.key, c.rows, c.readAt = key, slices.Clone(rows), start
	}
}

// forget drops what was kept; called after every user write, committed or
// not.
func (c *staffList) forget() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.rows = nil
	c.writes++
}

package argon2

import (
	"context"
	"runtime"

	"crm/application"
)

// gate bounds the hashing: at most `slots` hashes run at once, at most
// `queue` more wait for a slot, and anyone beyond that is refused at once
// with application.ErrBusy. A hash takes tens of milliseconds of one core
// and 19 MiB; without a bound, a burst of logins (or of guesses at random
// usernames, which cost as much on purpose) would take every core and the
// memory with it, and every page would stall. Without a bound on the line,
// a flood would make every login wait behind it; a 503 with Retry-After
// says "come back in a second" instead.
type gate struct {
	// admitted holds a token for everyone running or waiting: its capacity
	// is slots + queue.
	admitted chan struct{}
	// running holds a token for everyone hashing.
	running chan struct{}
}

func newGate(slots, queue int) *gate {
	slots = max(1, slots)
	queue = max(0, queue)
	return &gate{admitted: make(chan struct{}, slots+queue), running: make(chan struct{}, slots)}
}

// DefaultSlots leaves at least one core to the rest of the server: on the
// 2-core machines this runs on, one hash at a time.
func DefaultSlots() int { return max(1, runtime.GOMAXPROCS(0)-1) }

// enter waits for a slot. It returns application.ErrBusy when the line is
// full, or ctx's error if the caller gives up while waiting; only after a
// nil error must leave be called.
func (g *gate) enter(ctx context.Context) error {
	select {
	case g.admitted <- struct{}{}:
	default:
		return application.ErrBusy
	}
	select {
	case g.running <- struct{}{}:
		return nil
	case <-ctx.Done():
		<-g.admitted
		return ctx.Err()
	}
}

// leave frees the slot taken by enter.
func (g *gate) leave() {
	<-g.running
	<-g.admitted
}

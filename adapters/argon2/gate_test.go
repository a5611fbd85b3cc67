package argon2

import (
	"context"
	"runtime"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
)

var tiny = Params{Memory: 64, Time: 1, Threads: 1}

func TestDefaultSlotsLeaveACoreToTheRest(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for procs, want := range map[int]int{1: 1, 2: 1, 4: 3} {
		runtime.GOMAXPROCS(procs)
		assert.Equal(t, want, DefaultSlots(), "GOMAXPROCS=%d", procs)
	}
}

// With one slot and a line of one: the slot is taken, the next caller
// waits in line, the one after is refused with ErrBusy at once (the 503),
// and the one in line goes on when the slot frees.
func TestAFullLineAnswersBusyInsteadOfWaiting(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := New(tiny, 1, 1)
		hash, err := h.Hash(t.Context(), "a password")
		require.NoError(t, err)

		require.NoError(t, h.gate.enter(t.Context())) // a hash in progress holds the slot
		waiting := make(chan bool, 1)
		go func() {
			ok, err := h.Verify(t.Context(), hash, "a password")
			assert.NoError(t, err)
			waiting <- ok
		}()
		synctest.Wait() // the check is in line, blocked on the slot
		select {
		case <-waiting:
			t.Fatal("a check ran while the slot was taken")
		default:
		}

		_, err = h.Hash(t.Context(), "another password")
		assert.ErrorIs(t, err, application.ErrBusy, "slot and line full: refused at once")
		_, err = h.Verify(t.Context(), hash, "a password")
		assert.ErrorIs(t, err, application.ErrBusy)

		h.gate.leave()
		assert.True(t, <-waiting, "the one in line is served once the slot frees")

		_, err = h.Hash(t.Context(), "after the burst")
		assert.NoError(t, err, "nothing is left taken")
	})
}

func TestBcryptChecksTakeASlotToo(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := New(tiny, 1, 0)
		require.NoError(t, h.gate.enter(t.Context()))
		_, err := h.Verify(t.Context(), "$2a$04$abcdefghijklmnopqrstuuMfI6KqZ0x3gq2y0mM7fVjVQ5bBqkqsK", "a password")
		assert.ErrorIs(t, err, application.ErrBusy)
		h.gate.leave()
	})
}

func TestACallerWhoGivesUpLeavesTheLine(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := New(tiny, 1, 1)
		require.NoError(t, h.gate.enter(t.Context()))
		ctx, cancel := context.WithCancel(t.Context())
		gaveUp := make(chan error, 1)
		go func() {
			_, err := h.Hash(ctx, "a password")
			gaveUp <- err
		}()
		synctest.Wait()
		cancel()
		assert.ErrorIs(t, <-gaveUp, context.Canceled)

		// Its place in line is free again: one more may wait.
		done := make(chan error, 1)
		go func() {
			_, err := h.Hash(t.Context(), "a password")
			done <- err
		}()
		synctest.Wait()
		h.gate.leave()
		assert.NoError(t, <-done)
	})
}

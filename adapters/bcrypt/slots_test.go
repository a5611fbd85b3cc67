package bcrypt

import (
	"runtime"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	xbcrypt "golang.org/x/crypto/bcrypt"
)

func TestHashingWaitsForAFreeSlot(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := New(xbcrypt.MinCost)
		assert.Equal(t, max(1, runtime.GOMAXPROCS(0)-1), cap(h.slots), "one core is left to the rest of the server")
		hash, err := h.Hash("a password")
		require.NoError(t, err)

		// Take every slot: a check must wait.
		for range cap(h.slots) {
			h.slots <- struct{}{}
		}
		done := make(chan bool, 1)
		go func() { done <- h.Verify(hash, "a password") }()
		synctest.Wait() // the check is now blocked, or finished
		select {
		case <-done:
			t.Fatal("a check ran while every slot was taken")
		default:
		}
		// Free one: it completes.
		<-h.slots
		assert.True(t, <-done)
	})
}

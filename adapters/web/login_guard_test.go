package web

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// One address holds at most LoginChecksPerAddress password checks at once,
// so a burst from it cannot fill the hashing queue; other addresses are
// not counted against it, and a finished check frees its place.
func TestAnAddressRunsFewPasswordChecksAtOnce(t *testing.T) {
	g := newLoginGuard(DefaultLoginAttemptsPerMinute, time.Now)
	var held []func()
	for range LoginChecksPerAddress {
		done, ok := g.check("203.0.113.66")
		require.True(t, ok)
		held = append(held, done)
	}
	_, ok := g.check("203.0.113.66")
	assert.False(t, ok, "a check beyond the places is refused")

	other, ok := g.check("198.51.100.7")
	require.True(t, ok, "another address has places of its own")
	other()

	held[0]()
	again, ok := g.check("203.0.113.66")
	require.True(t, ok, "a finished check frees its place")
	again()
	held[1]()
	assert.Empty(t, g.checking, "no address is left counted")
}

package bench

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStealShareOfTwoReadings(t *testing.T) {
	before, ok := parseCPUTimes("cpu  100 0 50 800 10 0 20 20 7 0\ncpu0 50 0 25 400 5 0 10 10 0 0\n")
	require.True(t, ok)
	assert.Equal(t, cpuTimes{total: 1000, steal: 20}, before, "guest time is not counted twice")
	after, ok := parseCPUTimes("cpu  300 0 150 1300 10 0 40 200 9 0\n")
	require.True(t, ok)
	assert.InDelta(t, 18.0, stealPct(before, after), 1e-9) // 180 of 1,000 ticks

	assert.Equal(t, -1.0, stealPct(after, before), "readings out of order")
	assert.Equal(t, -1.0, stealPct(before, before), "no time passed")
	for _, bad := range []string{"", "intr 1 2 3\n", "cpu 1 2 3 4 5 6 7\n", "cpu 1 2 3 4 5 6 7 x\n"} {
		_, ok := parseCPUTimes(bad)
		assert.False(t, ok, "%q", bad)
	}
	if _, ok := readCPUTimes(); !ok {
		t.Log("this machine's /proc/stat gives no steal time")
	}
}

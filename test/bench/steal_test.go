package bench

import (
	"os"
	"strconv"
	"strings"
)

// On a virtual machine shared with other guests, the hypervisor may run
// another guest while this one has work: that time is "steal" in
// /proc/stat. A round with much of it measures the neighbours as much as
// crm, and a page compared with a bare round that had less of it looks
// slower than it is. Each round reports its share (steal-pct, and the
// bare round's as bare-steal-pct) so that a reader can tell a slow page
// from a crowded machine.

// cpuTimes are the machine's CPU times in clock ticks, summed over its
// CPUs: all of them, and those stolen.
type cpuTimes struct{ total, steal uint64 }

// readCPUTimes reads the first ("cpu") line of /proc/stat; ok is false off
// Linux or on a kernel that does not count steal.
func readCPUTimes() (cpuTimes, bool) {
	stat, err := os.ReadFile("/proc/stat")
	if err != nil {
		return cpuTimes{}, false
	}
	return parseCPUTimes(string(stat))
}

// parseCPUTimes reads the "cpu" line of a /proc/stat: user, nice, system,
// idle, iowait, irq, softirq, steal, then guest and guest_nice, which
// user and nice already include.
func parseCPUTimes(stat string) (cpuTimes, bool) {
	line, _, _ := strings.Cut(stat, "\n")
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return cpuTimes{}, false
	}
	var t cpuTimes
	for i, s := range f[1:9] {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return cpuTimes{}, false
		}
		t.total += n
		if i == 7 {
			t.steal = n
		}
	}
	return t, true
}

// stealPct is the share of the machine's CPU time stolen between two
// readings, in per cent; -1 when it cannot tell.
func stealPct(before, after cpuTimes) float64 {
	if after.total <= before.total || after.steal < before.steal {
		return -1
	}
	return 100 * float64(after.steal-before.steal) / float64(after.total-before.total)
}

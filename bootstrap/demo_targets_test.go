package bootstrap

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestDemoTicketsHaveEveryKindOfTarget: reports and the queue's overdue
// filter need met, missed, pending and overdue targets in the demo data.
func TestDemoTicketsHaveEveryKindOfTarget(t *testing.T) {
	counts := map[string]int{}
	for _, tk := range generateDemo(t, 3, 3000, demoTestNow) {
		s := tk.Targets()
		assert.True(t, s.HasTargets)
		switch {
		case s.ResponseMet != nil && *s.ResponseMet:
			counts["response met"]++
		case s.ResponseMet != nil:
			counts["response missed"]++
		}
		switch {
		case s.ResolutionMet != nil && *s.ResolutionMet:
			counts["resolution met"]++
		case s.ResolutionMet != nil:
			counts["resolution missed"]++
		default:
			counts["resolution pending"]++
		}
		if tk.Overdue(demoTestNow) {
			counts["overdue"]++
		} else if !tk.NextDue().IsZero() {
			counts["due later"]++
		}
	}
	for _, kind := range []string{"response met", "response missed", "resolution met", "resolution missed",
		"resolution pending", "overdue"} {
		assert.Positive(t, counts[kind], "%s in %v", kind, counts)
	}
	t.Logf("%v", counts)
}

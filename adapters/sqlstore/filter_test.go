package sqlstore

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// enumEquals writes a plain enumeration value into the condition when
// asked, and anything else, or when not asked, as an argument.
func TestFilterEnumEquals(t *testing.T) {
	cases := []struct {
		value    string
		literal  bool
		wantCond string
		wantArgs []any
	}{
		{"closed", true, "t.status = 'closed'", nil},
		{"in_progress", true, "t.status = 'in_progress'", nil},
		{"closed", false, "t.status = ?", []any{"closed"}},
		{"x' OR '1'='1", true, "t.status = ?", []any{"x' OR '1'='1"}},
		{"Closed", true, "t.status = ?", []any{"Closed"}},
		{"", true, "t.status = ?", []any{""}},
	}
	for _, c := range cases {
		var f filter
		f.enumEquals("t.status", c.value, c.literal)
		assert.Equal(t, []string{c.wantCond}, f.conds, c.value)
		assert.Equal(t, c.wantArgs, f.args, c.value)
	}
}

package bootstrap

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRequire2FAIsUnsetOrStaff(t *testing.T) {
	for _, tc := range []struct {
		name, value string
		want        bool // RequireForStaff
		bad         bool
	}{
		{"unset: optional for everyone", "", false, false},
		{"staff", "staff", true, false},
		{"anything else stops start-up", "admins", false, true},
		{"case matters", "Staff", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := load(t, map[string]string{"CRM_REQUIRE_2FA": tc.value})
			if tc.bad {
				require.Error(t, err)
				assert.Contains(t, err.Error(), "CRM_REQUIRE_2FA")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, twoFactorPolicy(c).RequireForStaff)
		})
	}
	c, err := load(t, nil, "--require-2fa", "staff")
	require.NoError(t, err)
	assert.True(t, twoFactorPolicy(c).RequireForStaff, "the flag works too")
}

package bootstrap

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConfigAttachmentLimits(t *testing.T) {
	c, err := load(t, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(10485760), c.AttachmentMaxBytes)
	assert.Equal(t, 5, c.AttachmentMaxFiles)

	c, err = load(t, map[string]string{"CRM_ATTACHMENT_MAX_BYTES": "1048576"}, "--attachment-max-files", "2")
	require.NoError(t, err)
	assert.Equal(t, int64(1048576), c.AttachmentMaxBytes)
	assert.Equal(t, 2, c.AttachmentMaxFiles)
}

func TestConfigBadAttachmentLimitsStopStartUp(t *testing.T) {
	cases := []struct{ name, variable, value string }{
		{"no bytes", "CRM_ATTACHMENT_MAX_BYTES", "0"},
		{"a unit", "CRM_ATTACHMENT_MAX_BYTES", "10MB"},
		{"over a gigabyte", "CRM_ATTACHMENT_MAX_BYTES", "2147483648"},
		{"no files", "CRM_ATTACHMENT_MAX_FILES", "0"},
		{"negative", "CRM_ATTACHMENT_MAX_FILES", "-1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := load(t, map[string]string{tc.variable: tc.value})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.variable+"=")
		})
	}
}

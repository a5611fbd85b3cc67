package bootstrap

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/sqlite"
	"crm/adapters/web"
)

func TestConfigTrustedProxies(t *testing.T) {
	cases := []struct {
		name, value string
		want        []netip.Prefix
	}{
		{"unset: none", "", nil},
		{"one address", "10.0.0.7", []netip.Prefix{netip.MustParsePrefix("10.0.0.7/32")}},
		{"addresses and blocks, commas and spaces", "10.0.0.7, 192.168.0.0/16 ::1,fd00::/8", []netip.Prefix{
			netip.MustParsePrefix("10.0.0.7/32"), netip.MustParsePrefix("192.168.0.0/16"),
			netip.MustParsePrefix("::1/128"), netip.MustParsePrefix("fd00::/8"),
		}},
		{"a block with host bits is its block", "172.16.3.4/12", []netip.Prefix{netip.MustParsePrefix("172.16.0.0/12")}},
		{"IPv4 written in IPv6 is IPv4", "::ffff:10.1.2.3", []netip.Prefix{netip.MustParsePrefix("10.1.2.3/32")}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := load(t, map[string]string{"CRM_TRUSTED_PROXIES": tc.value})
			require.NoError(t, err)
			assert.Equal(t, tc.want, c.TrustedProxies)
		})
	}
}

func TestConfigBadLoginSettingsStopStartUp(t *testing.T) {
	cases := []struct{ name, variable, value string }{
		{"a host name", "CRM_TRUSTED_PROXIES", "proxy.internal"},
		{"a block too wide", "CRM_TRUSTED_PROXIES", "10.0.0.0/33"},
		{"one good, one bad", "CRM_TRUSTED_PROXIES", "10.0.0.1,10.0.0"},
		{"a port", "CRM_TRUSTED_PROXIES", "10.0.0.1:8080"},
		{"no attempts", "CRM_LOGIN_RATE", "0"},
		{"not a number", "CRM_LOGIN_RATE", "fast"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := load(t, map[string]string{tc.variable: tc.value})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.variable+"=")
		})
	}
}

func TestConfigLoginRate(t *testing.T) {
	c, err := load(t, nil)
	require.NoError(t, err)
	assert.Equal(t, web.DefaultLoginAttemptsPerMinute, c.LoginAttemptsPerMinute)

	c, err = load(t, map[string]string{"CRM_LOGIN_RATE": "600"})
	require.NoError(t, err)
	assert.Equal(t, 600, c.LoginAttemptsPerMinute)
}

func TestConfigReadConcurrency(t *testing.T) {
	// Unset: as many as SQLite's connections, 4 per CPU on PostgreSQL.
	c, err := load(t, nil)
	require.NoError(t, err)
	assert.Equal(t, sqlite.Connections(), readConcurrency(c.ReadConcurrency, "sqlite"))
	assert.Equal(t, web.DefaultReadConcurrency, readConcurrency(c.ReadConcurrency, "postgres"))

	for _, dialect := range []string{"sqlite", "postgres"} {
		c, err = load(t, map[string]string{"CRM_READ_CONCURRENCY": "3"})
		require.NoError(t, err)
		assert.Equal(t, 3, readConcurrency(c.ReadConcurrency, dialect))

		c, err = load(t, map[string]string{"CRM_READ_CONCURRENCY": "0"})
		require.NoError(t, err)
		assert.Negative(t, readConcurrency(c.ReadConcurrency, dialect), "0 is no limit, which the web handler takes as negative")
	}

	for _, bad := range []string{"-1", "many", "100001"} {
		_, err := load(t, map[string]string{"CRM_READ_CONCURRENCY": bad})
		require.Error(t, err, bad)
		assert.Contains(t, err.Error(), "CRM_READ_CONCURRENCY=")
	}
}

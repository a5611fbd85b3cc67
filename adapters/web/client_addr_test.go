package web

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestClientAddress(t *testing.T) {
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8")}
	cases := []struct {
		name    string
		trusted []netip.Prefix
		remote  string
		xff     []string
		want    string
	}{
		{"the peer, without proxies", nil, "203.0.113.9:4711", nil, "203.0.113.9"},
		{"the header of an untrusted peer is ignored", nil, "203.0.113.9:4711", []string{"198.51.100.7"}, "203.0.113.9"},
		{"not even from a private address", nil, "10.0.0.2:4711", []string{"198.51.100.7"}, "10.0.0.2"},
		{"a trusted proxy names the client", proxies, "10.0.0.2:4711", []string{"198.51.100.7"}, "198.51.100.7"},
		{"read from the right: what the client claims is ignored", proxies, "10.0.0.2:4711", []string{"1.2.3.4, 198.51.100.7"}, "198.51.100.7"},
		{"through a chain of trusted proxies", proxies, "10.0.0.2:4711", []string{"198.51.100.7, 10.0.0.3,10.0.0.4"}, "198.51.100.7"},
		{"several header lines, in order", proxies, "10.0.0.2:4711", []string{"1.2.3.4, 198.51.100.7", "10.0.0.3"}, "198.51.100.7"},
		{"a trusted proxy without the header is the client", proxies, "10.0.0.2:4711", nil, "10.0.0.2"},
		{"only trusted proxies: the farthest", proxies, "10.0.0.2:4711", []string{"10.0.0.5, 10.0.0.3"}, "10.0.0.5"},
		{"garbage stops at the proxy that wrote it", proxies, "10.0.0.2:4711", []string{"198.51.100.7, unknown, 10.0.0.3"}, "10.0.0.3"},
		{"an empty entry is garbage", proxies, "10.0.0.2:4711", []string{""}, "10.0.0.2"},
		{"entries with ports", proxies, "10.0.0.2:4711", []string{"198.51.100.7:5000, [fd00::3]:443"}, "198.51.100.7"},
		{"IPv6 peers and clients", proxies, "[fd00::2]:4711", []string{"2001:db8::7"}, "2001:db8::7"},
		{"IPv4 in IPv6 is IPv4", proxies, "[::ffff:10.0.0.2]:4711", []string{"::ffff:198.51.100.7"}, "198.51.100.7"},
		{"an unreadable peer", proxies, "somewhere", []string{"198.51.100.7"}, "invalid IP"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := &Handler{trustedProxies: tc.trusted}
			r := httptest.NewRequest(http.MethodPost, "/login", nil)
			r.RemoteAddr = tc.remote
			for _, v := range tc.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			assert.Equal(t, tc.want, h.clientAddr(r).String())
		})
	}
}

func TestThrottlingCountsIPv6ByItsSlash64(t *testing.T) {
	assert.Equal(t, "2001:db8:1:2::/64", addrKey(netip.MustParseAddr("2001:db8:1:2:aaaa::1")))
	assert.Equal(t, addrKey(netip.MustParseAddr("2001:db8:1:2::1")), addrKey(netip.MustParseAddr("2001:db8:1:2:ffff::9")))
	assert.NotEqual(t, addrKey(netip.MustParseAddr("2001:db8:1:2::1")), addrKey(netip.MustParseAddr("2001:db8:1:3::1")))
	assert.Equal(t, "203.0.113.9", addrKey(netip.MustParseAddr("203.0.113.9")))
	assert.Equal(t, "unknown", addrKey(netip.Addr{}))
}

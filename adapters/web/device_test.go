package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"

	"crm/application"
)

func TestDeviceName(t *testing.T) {
	tests := []struct{ name, ua, want string }{
		{"Firefox on Linux", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox · Linux"},
		{"Chrome on Windows", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36", "Chrome · Windows"},
		{"Edge, not Chrome", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0", "Edge · Windows"},
		{"Safari on an iPhone", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "Safari · iOS"},
		{"Chrome on Android", "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36", "Chrome · Android"},
		{"Safari on a Mac", "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15", "Safari · macOS"},
		{"a program", "curl/8.5.0", "curl"},
		{"nothing known", "SomeBot", ""},
		{"none", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, deviceName(tc.ua))
		})
	}
}

func TestWithClientKeepsTextAndTheAddress(t *testing.T) {
	r := httptest.NewRequest(http.MethodPost, "/login", nil)
	r.RemoteAddr = "[2001:db8::7]:51234"
	r.Header.Set("User-Agent", "Firefox/128.0\x00\xff"+strings.Repeat("ж", 400))

	c := application.ClientFrom((&Handler{}).withClient(r).Context())

	assert.Equal(t, "2001:db8::7", c.Address)
	assert.True(t, strings.HasPrefix(c.UserAgent, "Firefox/128.0ж"), c.UserAgent)
	assert.Equal(t, userAgentMaxLen, utf8.RuneCountInString(c.UserAgent))
}

package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
	"time"
)

// deviceCookie marks a browser that has logged in before, for the login
// guard: a browser someone logged in with is let through to the password
// check whatever others do to that account (see loginGuard). Its value is
// a random device id and, for each of the last few accounts logged in with
// it, a MAC of the account's username and the id under the handler's
// device key: "<id>.<mac>.<mac>". It names no account, and cannot be
// forged or moved to another account without the key. It is HttpOnly, only
// sent to /login, and lasts a year.
const deviceCookie = "crm_device"

const (
	// maxDeviceAccounts is how many accounts one browser is remembered for.
	maxDeviceAccounts = 5
	deviceCookieAge   = 365 * 24 * time.Hour
	deviceIDBytes     = 16
	deviceMACBytes    = 16
)

var deviceEncoding = base64.RawURLEncoding

// newDeviceKey returns a random key for Options.DeviceKey's default.
func newDeviceKey() []byte {
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	return key
}

// deviceMAC signs that the browser with device id logged in to the account
// of userKey (domain.UsernameKey).
func (h *Handler) deviceMAC(userKey, id string) string {
	m := hmac.New(sha256.New, h.deviceKey)
	m.Write([]byte("crm device\x00" + userKey + "\x00" + id))
	return deviceEncoding.EncodeToString(m.Sum(nil)[:deviceMACBytes])
}

// readDeviceCookie returns the device id and MACs of r's device cookie;
// an id of "" when it has none, or a malformed one.
func readDeviceCookie(r *http.Request) (id string, macs []string) {
	c, err := r.Cookie(deviceCookie)
	if err != nil {
		return "", nil
	}
	parts := strings.Split(c.Value, ".")
	if len(parts) < 1 || len(parts) > 1+maxDeviceAccounts || !isEncoded(parts[0], deviceIDBytes) {
		return "", nil
	}
	for _, mac := range parts[1:] {
		if !isEncoded(mac, deviceMACBytes) {
			return "", nil
		}
	}
	return parts[0], parts[1:]
}

func isEncoded(s string, n int) bool {
	b, err := deviceEncoding.DecodeString(s)
	return err == nil && len(b) == n
}

// knownDevice returns the device id of r's browser when it has logged in to
// the account of userKey before, or "".
func (h *Handler) knownDevice(r *http.Request, userKey string) string {
	id, macs := readDeviceCookie(r)
	if id == "" {
		return ""
	}
	want := h.deviceMAC(userKey, id)
	for _, mac := range macs {
		if hmac.Equal([]byte(mac), []byte(want)) {
			return id
		}
	}
	return ""
}

// rememberDevice marks r's browser as one that has logged in to the account
// of userKey: the account goes first in its cookie (a new one, with a new
// device id, if it has none), and the oldest beyond maxDeviceAccounts is
// forgotten.
func (h *Handler) rememberDevice(w http.ResponseWriter, r *http.Request, userKey string) {
	id, macs := readDeviceCookie(r)
	if id == "" {
		b := make([]byte, deviceIDBytes)
		_, _ = rand.Read(b)
		id, macs = deviceEncoding.EncodeToString(b), nil
	}
	mac := h.deviceMAC(userKey, id)
	kept := []string{id, mac}
	for _, m := range macs {
		if m != mac && len(kept) <= maxDeviceAccounts {
			kept = append(kept, m)
		}
	}
	http.SetCookie(w, &http.Cookie{
		Name: deviceCookie, Value: strings.Join(kept, "."), Path: "/login",
		MaxAge: int(deviceCookieAge.Seconds()), HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode,
	})
}

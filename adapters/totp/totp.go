// Package totp makes and checks TOTP codes (RFC 6238) with
// github.com/pquerna/otp: 6 digits, 30-second steps, SHA-1, what
// authenticator apps expect.
package totp

import (
	"crypto/subtle"
	"net/url"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"crm/application"
)

var _ application.OneTimeCodes = Codes{}

// period is the length of a time step in seconds.
const period = 30

// Codes is the TOTP adapter; the zero value is ready.
type Codes struct{}

var opts = totp.ValidateOpts{Period: period, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// NewSecret returns 160 random bits, base32 without padding.
func (Codes) NewSecret() (string, error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: application.TOTPIssuer, AccountName: "-"})
	if err != nil {
		return "", err
	}
	return key.Secret(), nil
}

// URI is the otpauth:// URI of secret for account, as
// github.com/google/google-authenticator documents it.
func (Codes) URI(issuer, account, secret string) string {
	v := url.Values{}
	v.Set("secret", secret)
	v.Set("issuer", issuer)
	v.Set("algorithm", "SHA1")
	v.Set("digits", "6")
	v.Set("period", "30")
	u := url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + issuer + ":" + account, RawQuery: v.Encode()}
	return u.String()
}

// Match returns the step of code when it is right for secret at now or one
// step before or after (clocks of phones drift).
func (Codes) Match(secret, code string, now time.Time) (int64, bool) {
	if len(code) != 6 {
		return 0, false
	}
	step := now.Unix() / period
	for _, s := range []int64{step, step - 1, step + 1} {
		want, err := totp.GenerateCodeCustom(secret, time.Unix(s*period, 0), opts)
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return s, true
		}
	}
	return 0, false
}

// Code returns the code of secret at now: for tests, which play the
// authenticator app.
func Code(secret string, now time.Time) string {
	c, err := totp.GenerateCodeCustom(secret, now, opts)
	if err != nil {
		panic(err)
	}
	return c
}

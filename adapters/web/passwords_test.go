package web

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/argon2"
	"crm/adapters/i18n"
	"crm/application"
	"crm/domain"
)

// withHasher makes the app hash passwords with h.
func withHasher(h application.PasswordHasher) siteOption {
	return func(s *site, _ *Options) { s.hasher = h }
}

// tinyArgon2 is the real hasher with costs small enough for tests.
func tinyArgon2() *argon2.Hasher {
	return argon2.New(argon2.Params{Memory: 64, Time: 1, Threads: 1}, 1, 8)
}

func register(b *browser, username, password string) *response {
	return b.post("/register", url.Values{"username": {username}, "password": {password}, "password_confirm": {password}})
}

// tryLogIn posts the login form, whatever it answers.
func tryLogIn(b *browser, username, password string) *response {
	return b.post("/login", url.Values{"username": {username}, "password": {password}})
}

// A password of 73–128 bytes passed the rules and then answered 500:
// bcrypt refuses more than 72 bytes. With argon2id every byte is hashed.
func TestLongPasswordsOfAnyScriptRegisterAndLogIn(t *testing.T) {
	for name, password := range map[string]string{
		"a 40-letter Cyrillic passphrase (80 bytes)": strings.Repeat("ёжиквтумане", 8)[:80],
		"73 bytes":                            "tqz8-mv3" + strings.Repeat("x7", 32) + "z",
		"128 bytes":                           strings.Repeat("tqz8-mv3", 16),
		"128 Cyrillic characters (256 bytes)": strings.Repeat("щука-ёж!", 16),
	} {
		t.Run(name, func(t *testing.T) {
			s := newSite(t, withHasher(tinyArgon2()))
			r := register(s.browser(), "long_pass", password)
			require.Equal(t, http.StatusSeeOther, r.status, r.body)

			b := s.browser()
			r = tryLogIn(b, "long_pass", password)
			require.Equal(t, http.StatusSeeOther, r.status, r.body)
			assert.NotEmpty(t, b.cookie(sessionCookie))

			r = tryLogIn(s.browser(), "long_pass", password[:72])
			assert.Equal(t, http.StatusUnauthorized, r.status, "the first 72 bytes are not the password")
		})
	}
}

// `password` and `aaaaaaaa` were accepted; the form now says why not, in
// the reader's language.
func TestRegistrationRefusesGuessablePasswordsAndSaysWhy(t *testing.T) {
	cases := []struct {
		name               string
		username, password string
		code               string
		en                 string
	}{
		{"the most common password", "newbie", "password", domain.CodeCommonPassword, "one of the most common passwords"},
		{"one letter eight times", "newbie", "aaaaaaaa", domain.CodeRepetitive, "short pattern repeated"},
		{"a common password with a year", "newbie", "Dragon2024", domain.CodeCommonPassword, "one of the most common passwords"},
		{"the username with digits", "newbie", "newbie2024", domain.CodeBasedOnUsername, "your username with little added"},
		{"the username backwards", "newbie", "eibwen!!", domain.CodeBasedOnUsername, "your username with little added"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newSite(t)
			for _, lang := range []string{"en", "ru"} {
				b := s.browser()
				b.language = lang
				r := register(b, tc.username, tc.password)
				require.Equal(t, http.StatusUnprocessableEntity, r.status)
				msg := i18n.Validation(lang, "password", tc.code)
				require.NotEqual(t, i18n.Message(lang, "error.invalid"), msg, "the catalogue explains %s", tc.code)
				assert.Contains(t, r.body, esc(msg))
				assert.Contains(t, r.body, `id="password-error"`)
				assert.NotContains(t, r.body, `value="`+tc.password+`"`, "passwords are never sent back")
				if lang == "en" {
					assert.Contains(t, msg, tc.en)
				}
			}
			_, err := s.store.Users.GetByUsername(context.Background(), tc.username)
			assert.ErrorIs(t, err, domain.ErrUserNotFound, "nothing is stored")
		})
	}
}

// busyHasher answers ErrBusy once switched on, as a hasher whose slots and
// line are full.
type busyHasher struct {
	fakeHasher
	busy atomic.Bool
}

func (h *busyHasher) Hash(ctx context.Context, p string) (string, error) {
	if h.busy.Load() {
		return "", application.ErrBusy
	}
	return h.fakeHasher.Hash(ctx, p)
}

func (h *busyHasher) Verify(ctx context.Context, hash, p string) (bool, error) {
	if h.busy.Load() {
		return false, application.ErrBusy
	}
	return h.fakeHasher.Verify(ctx, hash, p)
}

func TestFullHashingAnswers503WithRetryAfter(t *testing.T) {
	h := &busyHasher{}
	s := newSite(t, withHasher(h))
	s.createUser("owner", "user")
	h.busy.Store(true)

	for _, tc := range []struct {
		name, path, lang string
		form             url.Values
	}{
		{"log in", "/login", "en", url.Values{"username": {"owner"}, "password": {"owner-secret"}}},
		{"unknown user", "/login", "en", url.Values{"username": {"nobody"}, "password": {"owner-secret"}}},
		{"register", "/register", "en", url.Values{"username": {"newbie"}, "password": {"correct horse"}, "password_confirm": {"correct horse"}}},
		{"log in, Russian", "/login", "ru", url.Values{"username": {"owner"}, "password": {"owner-secret"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := s.browser()
			// Not b.post: the browser fails the test on any 5xx.
			req, err := http.NewRequest(http.MethodPost, s.srv.URL+tc.path, strings.NewReader(tc.form.Encode()))
			require.NoError(t, err)
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Accept-Language", tc.lang)
			res, err := b.client.Do(req)
			require.NoError(t, err)
			body, err := io.ReadAll(res.Body)
			require.NoError(t, err)
			res.Body.Close()
			r := response{status: res.StatusCode, body: string(body), header: res.Header}
			require.Equal(t, http.StatusServiceUnavailable, r.status, r.body)
			assert.Equal(t, "1", r.header.Get("Retry-After"))
			assert.Contains(t, r.body, esc(i18n.Message(tc.lang, "problem.busy.text")))
			assert.Empty(t, b.cookie(sessionCookie))
		})
	}
	assert.NotContains(t, s.logs.String(), "request failed", "a busy answer is expected, not an error to log")

	h.busy.Store(false)
	r := tryLogIn(s.browser(), "owner", "owner-secret")
	assert.Equal(t, http.StatusSeeOther, r.status, "served again once the line has room")
}

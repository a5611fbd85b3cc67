package e2e

import (
	"database/sql"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"
)

// A password of 73–128 bytes (a 40-letter Cyrillic passphrase is 80)
// passed the rules and then answered 500: bcrypt refuses more than 72
// bytes. Now such passwords sign up and log in, on both databases.
func TestLongPasswordsOfAnyScriptSignUpAndLogIn(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		a := startApp(t, dbURL)
		for username, password := range map[string]string{
			"cyrillic_80": strings.Repeat("ёжиквтумане", 8)[:80],
			"ascii_128":   strings.Repeat("tqz8-mv3", 16),
		} {
			a.browser().mustSignUp(username, password)
			assert.Equal(t, http.StatusSeeOther, a.browser().login(username, password).status, "%s: the whole password logs in", username)
			r := a.browser().login(username, password[:72])
			assert.Equal(t, http.StatusUnauthorized, r.status, "%s: the first 72 bytes are not the password", username)
		}
	})
}

// `password` and `aaaaaaaa` were accepted. Guessable passwords are refused
// with the reason, on the form and by the CLI.
func TestGuessablePasswordsAreRefusedWithTheReason(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		a := startApp(t, dbURL)
		for _, tc := range []struct{ username, password, reason string }{
			{"newbie", "password", "one of the most common passwords"},
			{"newbie", "aaaaaaaa", "short pattern repeated"},
			{"newbie", "Newbie2024", "your username with little added"},
		} {
			r := a.browser().register(tc.username, tc.password)
			require.Equal(t, http.StatusUnprocessableEntity, r.status, tc.password)
			assert.Contains(t, r.body, tc.reason, tc.password)
		}
		_, stderr, code := a.crm("password\n", "user", "create", "--username", "operator", "--role", "admin")
		assert.NotEqual(t, 0, code)
		assert.Contains(t, stderr, "common")
		assert.Equal(t, http.StatusUnauthorized, a.browser().login("newbie", "password").status, "nothing was stored")
	})
}

// Accounts made before argon2id have bcrypt hashes: they still log in, and
// the hash is replaced by an argon2id one at that login.
func TestABcryptHashIsUpgradedToArgon2idAtLogin(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		a := startApp(t, dbURL)
		a.mustCreateUser("old_timer", "correct-horse", "user")
		old, err := bcrypt.GenerateFromPassword([]byte("correct-horse"), bcrypt.MinCost)
		require.NoError(t, err)
		db := openDB(t, dbURL)
		setHash(t, db, "old_timer", string(old))

		require.Equal(t, http.StatusUnauthorized, a.browser().login("old_timer", "wrong-horse").status)
		assert.Equal(t, string(old), storedHash(t, db, "old_timer"), "a wrong password changes nothing")

		require.Equal(t, http.StatusSeeOther, a.browser().login("old_timer", "correct-horse").status)
		upgraded := storedHash(t, db, "old_timer")
		assert.True(t, strings.HasPrefix(upgraded, "$argon2id$v=19$m=64,t=1,p=1$"), "upgraded: %s", upgraded)
		assert.NotContains(t, upgraded, "correct-horse")

		require.Equal(t, http.StatusSeeOther, a.browser().login("old_timer", "correct-horse").status)
		assert.Equal(t, upgraded, storedHash(t, db, "old_timer"), "an argon2id hash is kept")
		require.Equal(t, http.StatusUnauthorized, a.browser().login("old_timer", "wrong-horse").status)
	})
}

// openDB opens the app's database directly, to plant what an older version
// stored.
func openDB(t *testing.T, dbURL string) *sql.DB {
	t.Helper()
	driver, dsn := "pgx", dbURL
	if path, ok := strings.CutPrefix(dbURL, "sqlite:"); ok {
		driver, dsn = "sqlite", path+"?_pragma=busy_timeout(5000)"
	}
	db, err := sql.Open(driver, dsn)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

// The hash and username go in as literals: the same text on both
// databases, whose placeholders differ. Neither holds a quote.
func setHash(t *testing.T, db *sql.DB, username, hash string) {
	t.Helper()
	require.NotContains(t, hash+username, "'")
	res, err := db.Exec("UPDATE users SET password_hash = '" + hash + "' WHERE username_key = '" + username + "'")
	require.NoError(t, err)
	n, err := res.RowsAffected()
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
}

func storedHash(t *testing.T, db *sql.DB, username string) string {
	t.Helper()
	require.NotContains(t, username, "'")
	var hash string
	require.NoError(t, db.QueryRow("SELECT password_hash FROM users WHERE username_key = '"+username+"'").Scan(&hash))
	return hash
}

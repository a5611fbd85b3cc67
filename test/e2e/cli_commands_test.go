package e2e

import (
	"net/http"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDemoDataLoadsOnceAndItsAccountsWork(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		op := &app{t: t, dbURL: dbURL}
		out, errOut, code := op.crm("", "demo")
		require.Equal(t, 0, code, errOut)
		assert.Contains(t, out, "ticket #")
		out, errOut, code = op.crm("", "demo")
		require.Equal(t, 0, code, errOut)
		assert.Contains(t, out, "already has 3 tickets", "loading twice adds nothing")

		a := startApp(t, dbURL)
		user := a.browser()
		require.Equal(t, http.StatusSeeOther, user.login("test_user", "user_test").status)
		list := user.get("/tickets")
		for _, title := range []string{"Пропал звук", "Экран часов", "Компенсация"} {
			assert.Contains(t, list.body, title)
		}
		staff := a.browser()
		require.Equal(t, http.StatusSeeOther, staff.login("staff_user", "user_staff").status)
		assert.Equal(t, http.StatusOK, staff.get("/admin/tickets").status)
		admin := a.browser()
		require.Equal(t, http.StatusSeeOther, admin.login("superuser", "superuser").status)
		assert.Equal(t, http.StatusOK, admin.get("/admin/users").status)
	})
}

func TestOperatorCommands(t *testing.T) {
	op := &app{t: t, dbURL: "sqlite:" + filepath.Join(t.TempDir(), "crm.db")}

	out, _, code := op.crm("", "migrate", "version")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "schema version 0")
	out, _, code = op.crm("", "migrate", "up")
	require.Equal(t, 0, code)
	assert.NotContains(t, out, "schema version 0")

	_, errOut, code := op.crm("correct-horse\n", "user", "create", "--username", "ops_admin", "--role", "boss")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "role")
	_, errOut, code = op.crm("123\n", "user", "create", "--username", "ops_admin", "--role", "admin")
	assert.Equal(t, 1, code, "the password policy applies")
	assert.Contains(t, errOut, "password")
	_, errOut, code = op.crm("", "user", "create", "--username", "ops_admin", "--role", "admin")
	assert.Equal(t, 2, code, "no password on standard input")
	assert.Contains(t, errOut, "standard input")
	_, errOut, code = op.crm("correct-horse\n", "user", "create", "--username", "ops_admin", "--role", "admin")
	require.Equal(t, 0, code, errOut)

	_, errOut, code = op.crm("", "user", "role", "ops_admin", "user")
	require.Equal(t, 0, code, errOut, "the operator may demote even the last admin, to recover")
	_, _, code = op.crm("", "user", "role", "nobody_here", "user")
	assert.Equal(t, 1, code)
	_, errOut, code = op.crm("new-password-1\n", "user", "password", "ops_admin")
	require.Equal(t, 0, code, errOut)

	a := startApp(t, op.dbURL)
	b := a.browser()
	assert.Equal(t, http.StatusUnauthorized, b.login("ops_admin", "correct-horse").status)
	assert.Equal(t, http.StatusSeeOther, b.login("ops_admin", "new-password-1").status)
	assert.Equal(t, http.StatusForbidden, b.get("/admin/users").status, "now a plain user")

	_, _, code = op.crm("", "frobnicate")
	assert.Equal(t, 2, code)
	_, errOut, code = op.crm("", "serve", "--addr", "nonsense")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "CRM_ADDR")
}

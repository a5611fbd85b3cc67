package e2e

import (
	"crm/test/apptest"

	"github.com/stretchr/testify/require"
)

// crm runs the command line against the app's database, as an operator
// would, and returns what it printed.
func (a *app) crm(stdin string, args ...string) (stdout, stderr string, code int) {
	a.t.Helper()
	env := map[string]string{"CRM_DATABASE_URL": a.dbURL, "CRM_ARGON2_PARAMS": "m=64,t=1,p=1", "CRM_LOG_LEVEL": "warn"}
	return apptest.Run(env, stdin, args...)
}

// mustCreateUser creates an account with the CLI.
func (a *app) mustCreateUser(username, password, role string) {
	a.t.Helper()
	out, errOut, code := a.crm(password+"\n", "user", "create", "--username", username, "--role", role)
	require.Equal(a.t, 0, code, "user create: %s %s", out, errOut)
}

// staffBrowser creates a staff member (or admin) and logs them in.
func (a *app) staffBrowser(username, role string) *browser {
	a.t.Helper()
	a.mustCreateUser(username, "correct-horse", role)
	b := a.browser()
	r := b.login(username, "correct-horse")
	require.Equal(a.t, 303, r.status, "login %s: %s", username, r.body)
	return b
}

package bootstrap

import (
	"go.uber.org/fx"

	"crm/adapters/sqlstore"
	"crm/adapters/totp"
	"crm/application"
)

// twoFactorOptions wire two-factor sign-in: its storage, the TOTP adapter,
// its use cases, and the second step of LogIn.
var twoFactorOptions = fx.Options(
	fx.Provide(
		fx.Annotate(sqlstore.NewTwoFactors, fx.As(new(application.TwoFactors))),
		func() application.OneTimeCodes { return totp.Codes{} },
		twoFactorPolicy,
		newTwoFactorApp,
	),
	// At the root, so that every user of the App logs in with it.
	fx.Decorate(withSecondFactor),
)

func twoFactorPolicy(c Config) application.TwoFactorPolicy {
	return application.TwoFactorPolicy{RequireForStaff: c.Require2FA == "staff"}
}

type twoFactorDeps struct {
	fx.In
	Users      application.Users
	Sessions   application.Sessions
	TwoFactors application.TwoFactors
	Codes      application.OneTimeCodes
	Policy     application.TwoFactorPolicy
	Clock      application.Clock
}

func newTwoFactorApp(d twoFactorDeps) *application.TwoFactorApp {
	return application.NewTwoFactorApp(application.TwoFactorDeps{
		Users: d.Users, Sessions: d.Sessions, TwoFactors: d.TwoFactors, Codes: d.Codes, Policy: d.Policy, Clock: d.Clock,
	})
}

func withSecondFactor(app *application.App, d twoFactorDeps) *application.App {
	app.LogIn = app.LogIn.WithSecondFactor(d.TwoFactors, d.Codes, d.Policy)
	return app
}

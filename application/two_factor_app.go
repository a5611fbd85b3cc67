package application

// TwoFactorApp gathers the use cases of two-factor sign-in.
type TwoFactorApp struct {
	Start         StartTwoFactorHandler
	Enable        EnableTwoFactorHandler
	Disable       DisableTwoFactorHandler
	PendingLogIn  GetPendingLogInHandler
	CompleteLogIn CompleteLogInHandler
	Reset         ResetTwoFactorHandler
}

// TwoFactorDeps are the ports of two-factor sign-in.
type TwoFactorDeps struct {
	Users      Users
	Sessions   Sessions
	TwoFactors TwoFactors
	Codes      OneTimeCodes
	Policy     TwoFactorPolicy
	Clock      Clock
}

func NewTwoFactorApp(d TwoFactorDeps) *TwoFactorApp {
	return &TwoFactorApp{
		Start:         NewStartTwoFactorHandler(d.Users, d.TwoFactors, d.Codes, d.Policy, d.Clock),
		Enable:        NewEnableTwoFactorHandler(d.TwoFactors, d.Codes, d.Clock),
		Disable:       NewDisableTwoFactorHandler(d.Users, d.TwoFactors, d.Codes, d.Policy, d.Clock),
		PendingLogIn:  NewGetPendingLogInHandler(d.Users, d.TwoFactors, d.Codes, d.Clock),
		CompleteLogIn: NewCompleteLogInHandler(d.Users, d.Sessions, d.TwoFactors, d.Codes, d.Clock),
		Reset:         NewResetTwoFactorHandler(d.Users, d.TwoFactors),
	}
}

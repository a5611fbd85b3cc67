package bootstrap

import (
	"log/slog"

	"go.uber.org/fx"
	"go.uber.org/fx/fxevent"

	"crm/adapters/argon2"
	"crm/application"
)

// applicationModule provides the use cases and the small ports that have no
// adapter of their own (clock, password hashing).
var applicationModule = fx.Module("application",
	fx.Provide(
		func() application.Clock { return application.SystemClock{} },
		func(c Config) application.PasswordHasher {
			return argon2.New(c.Argon2, argon2.DefaultSlots(), c.HashQueue)
		},
		attachmentLimits,
		newApp,
	),
)

// attachmentLimits bound the files of one message (CRM_ATTACHMENT_MAX_BYTES,
// CRM_ATTACHMENT_MAX_FILES), the same for every edge that takes files.
func attachmentLimits(c Config) application.AttachmentLimits {
	return application.AttachmentLimits{MaxBytes: c.AttachmentMaxBytes, MaxFiles: c.AttachmentMaxFiles}
}

type appDeps struct {
	fx.In
	Users     application.Users
	Tickets   application.Tickets
	Attach    application.Attachments
	Files     application.Files
	Sessions  application.Sessions
	Events    application.EventLog
	Reports   application.Reports
	APITokens application.APITokens
	Resets    application.PasswordResets
	Hasher    application.PasswordHasher
	Clock     application.Clock
	Limits    application.AttachmentLimits
	Replies   application.SavedReplies
	SLA       application.SLAPolicies
}

func newApp(d appDeps) *application.App {
	return application.NewApp(application.Deps{
		Users: d.Users, Tickets: d.Tickets, Sessions: d.Sessions, Events: d.Events, APITokens: d.APITokens,
		Resets: d.Resets, Reports: d.Reports, Hasher: d.Hasher, Clock: d.Clock, Languages: interfaceLanguages(),
		Attachments: d.Attach, Files: d.Files, AttachmentLimits: d.Limits,
		SavedReplies: d.Replies,
		SLAPolicies:  d.SLA,
	})
}

// coreOptions are the parts every command needs: configuration, logging,
// storage and the use cases.
func coreOptions(c Config, log *slog.Logger) fx.Option {
	return fx.Options(
		fx.Supply(c, log),
		fx.WithLogger(func() fxevent.Logger {
			l := &fxevent.SlogLogger{Logger: log}
			// fx's own lines, its errors included, are for debugging: the
			// command reports a failure once, in its own words.
			l.UseLogLevel(slog.LevelDebug)
			l.UseErrorLevel(slog.LevelDebug)
			return l
		}),
		storageModule(c),
		applicationModule,
		twoFactorOptions,
	)
}

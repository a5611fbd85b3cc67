package application

// App gathers the use cases for the edges (HTTP, CLI, bot) that drive them.
type App struct {
	RegisterUser     RegisterUserHandler
	CreateUser       CreateUserHandler
	LogIn            LogInHandler
	LogOut           LogOutHandler
	CurrentUser      CurrentUserHandler
	SetPassword      SetPasswordHandler
	ChangePassword   ChangePasswordHandler
	ListSessions     ListSessionsHandler
	LogOutOthers     LogOutOtherSessionsHandler
	LogOutSession    LogOutSessionHandler
	SetLanguage      SetLanguageHandler
	SubmitTicket     SubmitTicketHandler
	ListMyTickets    ListMyTicketsHandler
	GetTicket        GetTicketHandler
	ChangeStatus     ChangeStatusHandler
	AssignTicket     AssignTicketHandler
	AddComment       AddCommentHandler
	RateTicket       RateTicketHandler
	MergeTickets     MergeTicketsHandler
	GetAttachment    GetAttachmentHandler
	DeleteAttachment DeleteAttachmentHandler
	ListQueue        ListQueueHandler
	ListStaff        ListStaffHandler
	ListUsers        ListUsersHandler
	ChangeRole       ChangeRoleHandler
	SetUserActive    SetUserActiveHandler
	ListAuditLog     ListAuditLogHandler
	GetReport        GetReportHandler

	ListSLAPolicies ListSLAPoliciesHandler
	SetSLAPolicy    SetSLAPolicyHandler

	IssueAPIToken     IssueAPITokenHandler
	AuthenticateToken AuthenticateTokenHandler
	ListAPITokens     ListAPITokensHandler
	RevokeAPITokens   RevokeAPITokensHandler
	RevokeAPIToken    RevokeAPITokenHandler

	IssuePasswordReset IssuePasswordResetHandler
	ResetPassword      ResetPasswordHandler

	// Saved replies (saved_replies.go).
	ListSavedReplies ListSavedRepliesHandler
	GetSavedReply    GetSavedReplyHandler
	CreateSavedReply CreateSavedReplyHandler
	EditSavedReply   EditSavedReplyHandler
	DeleteSavedReply DeleteSavedReplyHandler
	FillSavedReply   FillSavedReplyHandler
}

// Deps are the ports the use cases need.
type Deps struct {
	Users   Users
	Tickets Tickets
	// Attachments and Files read the files of tickets; AttachmentLimits
	// bound the files of one message.
	Attachments      Attachments
	Files            Files
	AttachmentLimits AttachmentLimits
	Sessions         Sessions
	Events           EventLog
	Reports          Reports
	APITokens        APITokens
	Resets           PasswordResets
	Hasher           PasswordHasher
	Clock            Clock
	Languages        []string // interface languages a person may choose
	SavedReplies     SavedReplies
	// SLAPolicies are the response targets per ticket type (nil: the
	// defaults, and the admin page cannot change them).
	SLAPolicies SLAPolicies
}

// NewApp wires every use case to its ports. It hashes one password (see
// NewLogInHandler) and panics if d.Hasher cannot.
func NewApp(d Deps) *App {
	return &App{
		RegisterUser:     NewRegisterUserHandler(d.Users, d.Hasher, d.Clock),
		CreateUser:       NewCreateUserHandler(d.Users, d.Hasher, d.Clock),
		LogIn:            NewLogInHandler(d.Users, d.Sessions, d.Hasher, d.Clock),
		LogOut:           NewLogOutHandler(d.Sessions),
		CurrentUser:      NewCurrentUserHandler(d.Sessions, d.Clock),
		SetPassword:      NewSetPasswordHandler(d.Users, d.Sessions, d.APITokens, d.Hasher),
		ChangePassword:   NewChangePasswordHandler(d.Users, d.Sessions, d.Hasher),
		ListSessions:     NewListSessionsHandler(d.Sessions, d.Clock),
		LogOutOthers:     NewLogOutOtherSessionsHandler(d.Sessions),
		LogOutSession:    NewLogOutSessionHandler(d.Sessions),
		SetLanguage:      NewSetLanguageHandler(d.Users, d.Languages),
		SubmitTicket:     NewSubmitTicketHandler(d.Tickets, d.Clock, d.AttachmentLimits).WithTargets(d.SLAPolicies),
		ListMyTickets:    NewListMyTicketsHandler(d.Tickets),
		GetTicket:        NewGetTicketHandler(d.Tickets),
		ChangeStatus:     NewChangeStatusHandler(d.Tickets, d.Clock),
		AssignTicket:     NewAssignTicketHandler(d.Tickets, d.Users, d.Clock),
		AddComment:       NewAddCommentHandler(d.Tickets, d.Clock, d.AttachmentLimits),
		RateTicket:       NewRateTicketHandler(d.Tickets, d.Clock),
		MergeTickets:     NewMergeTicketsHandler(d.Tickets, d.Clock),
		GetAttachment:    NewGetAttachmentHandler(d.Attachments, d.Files),
		DeleteAttachment: NewDeleteAttachmentHandler(d.Attachments, d.Tickets, d.Clock),
		ListQueue:        NewListQueueHandler(d.Tickets, d.Clock),
		ListStaff:        NewListStaffHandler(d.Users),
		ListUsers:        NewListUsersHandler(d.Users),
		ChangeRole:       NewChangeRoleHandler(d.Users, d.Clock),
		SetUserActive:    NewSetUserActiveHandler(d.Users, d.Sessions, d.Clock),
		ListAuditLog:     NewListAuditLogHandler(d.Events),
		GetReport:        NewGetReportHandler(d.Reports, d.Clock),

		ListSLAPolicies: NewListSLAPoliciesHandler(d.SLAPolicies),
		SetSLAPolicy:    NewSetSLAPolicyHandler(d.SLAPolicies, d.Clock),

		IssueAPIToken:     NewIssueAPITokenHandler(d.APITokens, d.Users, d.Clock),
		AuthenticateToken: NewAuthenticateTokenHandler(d.APITokens, d.Users, d.Clock),
		ListAPITokens:     NewListAPITokensHandler(d.APITokens, d.Users),
		RevokeAPITokens:   NewRevokeAPITokensHandler(d.APITokens, d.Users),
		RevokeAPIToken:    NewRevokeAPITokenHandler(d.APITokens),

		IssuePasswordReset: NewIssuePasswordResetHandler(d.Resets, d.Users, d.Clock),
		ResetPassword:      NewResetPasswordHandler(d.Resets, d.Users, d.Sessions, d.APITokens, d.Hasher, d.Clock),

		ListSavedReplies: NewListSavedRepliesHandler(d.SavedReplies),
		GetSavedReply:    NewGetSavedReplyHandler(d.SavedReplies),
		CreateSavedReply: NewCreateSavedReplyHandler(d.SavedReplies, d.Clock),
		EditSavedReply:   NewEditSavedReplyHandler(d.SavedReplies, d.Clock),
		DeleteSavedReply: NewDeleteSavedReplyHandler(d.SavedReplies),
		FillSavedReply:   NewFillSavedReplyHandler(d.SavedReplies, d.Tickets),
	}
}

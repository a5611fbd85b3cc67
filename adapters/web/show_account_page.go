package web

import (
	"net/http"

	"crm/application"
)

// accountPage is the data of /account. Sections added later get a field
// here and a {{template}} call in account.html.
type accountPage struct {
	layout
	Telegram telegramSection
	// Password is the change-password form, shown again with its errors.
	Password *form
	// APITokens are the visitor's API tokens and the form to make one.
	APITokens tokensSection
	// Sessions are the visitor's sessions, this one marked; OtherSessions
	// counts the others.
	Sessions      []sessionRow
	OtherSessions int
}

// telegramSection is the Telegram part of the account page.
type telegramSection struct {
	Enabled     bool   // false: Telegram is off on this server
	Linked      bool   // the account has a linked chat
	BotUsername string // "" while not known
	// Link is the one-time link just issued, shown only in the answer to
	// POST /account/telegram/link (never in a URL or a cookie).
	Link *application.TelegramLink
	// ValidMinutes is how long a link lasts, for the words beside it.
	ValidMinutes int
	// Staff shows the staff alerts' switches, AlertNewTickets and
	// AlertOwnerReplies.
	Staff             bool
	AlertNewTickets   bool
	AlertOwnerReplies bool
}

// showAccountPage answers GET /account: the profile, the language choice,
// Telegram linking, the password, the sessions and API tokens (one just made
// shown once).
func (h *Handler) showAccountPage(w http.ResponseWriter, r *http.Request, v *visitor) error {
	p, err := h.loadAccountPage(r, v)
	if err != nil {
		return err
	}
	p.APITokens.Issued = h.takeIssuedToken(w, r, v)
	return h.render(w, r, v, http.StatusOK, "account", p)
}

// loadAccountPage reads what the account page shows, including a Telegram
// link issued in this browser and not used yet. Errors: those of
// GetTelegramStatus.
func (h *Handler) loadAccountPage(r *http.Request, v *visitor) (*accountPage, error) {
	ctx := r.Context()
	p := &accountPage{layout: layout{Section: "account", Here: "/account"}, Password: emptyForm(nil)}
	p.Telegram.ValidMinutes = int(application.LinkTokenLifetime.Minutes())
	if err := h.loadTokens(r, v, p); err != nil {
		return nil, err
	}
	if err := h.loadSessions(r, v, p); err != nil {
		return nil, err
	}
	if h.telegram == nil {
		return p, nil // not wired: shown as off
	}
	st, err := h.telegram.GetTelegramStatus.Handle(ctx, application.GetTelegramStatus{Actor: v.User})
	if err != nil {
		return nil, err
	}
	p.Telegram.Enabled, p.Telegram.Linked, p.Telegram.BotUsername = st.Enabled, st.Linked, st.BotUsername
	p.Telegram.Staff = v.User.IsStaff()
	p.Telegram.AlertNewTickets, p.Telegram.AlertOwnerReplies = v.User.AlertsNewTickets(), v.User.AlertsOwnerReplies()
	if st.Enabled && !st.Linked {
		p.Telegram.Link = h.pendingLink(r, v.User, st.BotUsername)
	}
	return p, nil
}

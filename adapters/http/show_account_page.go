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
}

// showAccountPage answers GET /account: the profile, the language choice
// and Telegram linking.
func (h *Handler) showAccountPage(w http.ResponseWriter, r *http.Request, v *visitor) error {
	p, err := h.loadAccountPage(r, v)
	if err != nil {
		return err
	}
	return h.render(w, r, v, http.StatusOK, "account", p)
}

// loadAccountPage reads what the account page shows, including a Telegram
// link issued in this browser and not used yet. Errors: those of
// GetTelegramStatus.
func (h *Handler) loadAccountPage(r *http.Request, v *visitor) (*accountPage, error) {
	ctx := r.Context()
	p := &accountPage{layout: layout{Section: "account", Here: "/account"}}
	p.Telegram.ValidMinutes = int(application.LinkTokenLifetime.Minutes())
	if h.telegram == nil {
		return p, nil // not wired: shown as off
	}
	st, err := h.telegram.GetTelegramStatus.Handle(ctx, application.GetTelegramStatus{Actor: v.User})
	if err != nil {
		return nil, err
	}
	p.Telegram.Enabled, p.Telegram.Linked, p.Telegram.BotUsername = st.Enabled, st.Linked, st.BotUsername
	if st.Enabled && !st.Linked {
		p.Telegram.Link = h.pendingLink(r, v.User, st.BotUsername)
	}
	return p, nil
}

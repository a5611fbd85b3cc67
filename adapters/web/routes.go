package web

import (
	"fmt"
	"net/http"
)

// access is who may use a route. The use cases decide authorisation; this
// coarse gate only sends anonymous visitors to the login page and shows the
// 403 page at the door of the staff and admin areas.
type access int

const (
	public   access = iota // anyone
	loggedIn               // any logged-in user
	staff                  // staff and admins
	admin                  // admins
)

// route is one page or action.
type route struct {
	pattern string
	access  access
	handle  handlerFunc
}

// routes lists every page and action. Keep the names of DESIGN.md.
func (h *Handler) routes() []route {
	return []route{
		{"GET /{$}", public, h.showHomePage},
		{"GET /register", public, h.showRegisterPage},
		{"POST /register", public, h.register},
		{"GET /login", public, h.showLoginPage},
		{"POST /login", public, h.logIn},
		{"POST /logout", public, h.logOut},
		{"GET /password-reset", public, h.showPasswordResetPage},
		{"POST /password-reset", public, h.resetPassword},
		{"GET /login/code", public, h.showLoginCodePage},
		{"POST /login/code", public, h.completeLogIn},

		{"GET /tickets", loggedIn, h.showMyTickets},
		{"GET /tickets/new", loggedIn, h.showNewTicketPage},
		{"POST /tickets", loggedIn, h.submitTicket},
		{"GET /tickets/{id}", loggedIn, h.showTicket},
		{"POST /tickets/{id}/comments", loggedIn, h.addComment},
		{"POST /tickets/{id}/status", loggedIn, h.changeOwnStatus},
		{"POST /tickets/{id}/rating", loggedIn, h.rateTicket},
		// the live pages' Server-Sent Events (stream_events.go)
		{"GET /events", loggedIn, h.streamEvents},
		// public: a program may send its API token instead of a session
		// (the handler sends anyone with neither to the login page).
		{"GET /attachments/{id}/{name}", public, h.serveAttachment},
		{"GET /attachments/{id}/thumbnail", public, h.serveThumbnail},

		{"GET /account", loggedIn, h.showAccountPage},
		{"POST /account/language", public, h.setLanguage},
		{"POST /account/password", loggedIn, h.changePassword},
		{"POST /account/sessions/others", loggedIn, h.logOutOtherSessions},
		{"POST /account/sessions/{hash}/end", loggedIn, h.logOutSession},
		{"POST /account/tokens", loggedIn, h.issueAPIToken},
		{"POST /account/tokens/{id}/revoke", loggedIn, h.revokeAPIToken},
		{"POST /account/telegram/link", loggedIn, h.issueTelegramLink},
		{"POST /account/telegram/unlink", loggedIn, h.unlinkTelegram},
		{"POST /account/telegram/alerts", loggedIn, h.setStaffAlerts},
		{"GET /account/2fa", loggedIn, h.showTwoFactorPage},
		{"POST /account/2fa", loggedIn, h.enableTwoFactor},
		{"POST /account/2fa/disable", loggedIn, h.disableTwoFactor},

		{"GET /admin/tickets", staff, h.showQueue},
		{"GET /admin/tickets.csv", staff, h.exportQueueCSV},
		{"GET /admin/tickets/{id}", staff, h.showStaffTicket},
		{"POST /admin/tickets/{id}/status", staff, h.changeStatus},
		{"POST /admin/tickets/{id}/assign", staff, h.assignTicket},
		{"POST /admin/tickets/{id}/merge", staff, h.mergeTicket},
		{"POST /admin/attachments/{id}/delete", staff, h.deleteAttachment},
		{"GET /admin/replies", staff, h.showSavedReplies},
		{"POST /admin/replies", staff, h.createSavedReply},
		{"GET /admin/replies/{id}", staff, h.showSavedReplyEdit},
		{"POST /admin/replies/{id}", staff, h.editSavedReply},
		{"POST /admin/replies/{id}/delete", staff, h.deleteSavedReply},
		{"GET /admin/deliveries", staff, h.showDeliveries},
		{"POST /admin/deliveries/{id}/retry", staff, h.retryDelivery},
		{"GET /admin/reports", staff, h.showReport},
		{"GET /admin/reports.csv", staff, h.exportReportCSV},

		{"GET /admin/users", admin, h.showUsers},
		{"POST /admin/users/{id}/role", admin, h.changeRole},
		{"POST /admin/users/{id}/active", admin, h.setUserActive},
		{"POST /admin/users/{id}/password-reset", admin, h.issuePasswordReset},
		{"GET /admin/audit", admin, h.showAuditLog},
		{"GET /admin/sla", admin, h.showSLA},
		{"POST /admin/sla", admin, h.setSLAPolicy},
	}
}

// apiRoutes lists the JSON API (api_*.go): each needs a bearer token, and
// openapi.json describes every one.
func (h *Handler) apiRoutes() []apiRoute {
	return []apiRoute{
		{"GET /api/v1/me", loggedIn, h.apiShowMe},
		{"GET /api/v1/tickets", loggedIn, h.apiListMyTickets},
		{"POST /api/v1/tickets", loggedIn, h.apiSubmitTicket},
		{"GET /api/v1/tickets/{id}", loggedIn, h.apiShowTicket},
		{"POST /api/v1/tickets/{id}/comments", loggedIn, h.apiAddComment},
		{"POST /api/v1/tickets/{id}/attachments", loggedIn, h.apiAddAttachments},
		// the owner closes and reopens their own ticket; staff make every move
		{"POST /api/v1/tickets/{id}/status", loggedIn, h.apiChangeStatus},
		{"POST /api/v1/tickets/{id}/rating", loggedIn, h.apiRateTicket},

		{"GET /api/v1/queue", staff, h.apiListQueue},
		{"GET /api/v1/queue.csv", staff, h.apiExportQueueCSV},
		{"POST /api/v1/tickets/{id}/assign", staff, h.apiAssignTicket},
		{"POST /api/v1/tickets/{id}/merge", staff, h.apiMergeTicket},
	}
}

// rawRoutes are served without a session: probes, metrics and files.
func (h *Handler) rawRoutes() []Mount {
	return []Mount{
		{"GET /healthz", http.HandlerFunc(h.healthz)},
		{"GET /readyz", http.HandlerFunc(h.readyz)},
		{"GET /metrics", http.HandlerFunc(h.serveMetrics)},
		{"GET /static/{file...}", http.HandlerFunc(h.serveStatic)},
		{"GET /api/v1/openapi.json", http.HandlerFunc(h.serveOpenAPI)},
	}
}

// mountRoutes puts every route on a new mux.
func (h *Handler) mountRoutes(mounts []Mount) (err error) {
	h.mux = http.NewServeMux()
	add := func(pattern string, handler http.Handler) {
		if err != nil {
			return
		}
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("route %q: %v", pattern, p)
			}
		}()
		h.mux.Handle(pattern, handler)
		h.patterns = append(h.patterns, pattern)
	}
	for _, rt := range h.routes() {
		add(rt.pattern, h.page(rt.access, rt.handle))
	}
	contract, err := loadAPIContract()
	if err != nil {
		return err
	}
	for _, rt := range h.apiRoutes() {
		add(rt.pattern, h.apiEndpoint(rt.access, contract.validated(rt.handle)))
	}
	for _, m := range append(h.rawRoutes(), mounts...) {
		if m.Handler == nil {
			return fmt.Errorf("route %q: nil handler", m.Pattern)
		}
		add(m.Pattern, m.Handler)
	}
	return err
}

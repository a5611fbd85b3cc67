package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"crm/application"
	"crm/domain"
)

type usersPage struct {
	layout
	Q     string
	Users []*domain.User
	Total int
	Pager pager
	// Reset is the password-reset link just issued, shown once.
	Reset *issuedReset
}

// showUsers answers GET /admin/users: accounts, newest first, searched by
// ?q= and paged by ?before=<id>, each with its role, active and
// password-reset forms; a reset link just issued in this browser is shown
// once.
func (h *Handler) showUsers(w http.ResponseWriter, r *http.Request, v *visitor) error {
	p, err := h.loadUsersPage(r.Context(), v, r.URL.Query())
	if err != nil {
		return err
	}
	p.Reset = h.takeIssuedReset(w, r, v)
	return h.render(w, r, v, http.StatusOK, "users", p)
}

// loadUsersPage reads the users page for the query q (q, before).
func (h *Handler) loadUsersPage(ctx context.Context, v *visitor, q url.Values) (*usersPage, error) {
	search := strings.TrimSpace(q.Get("q"))
	before := parseNonNegative(q.Get("before"))
	page, err := h.app.ListUsers.Handle(ctx, application.ListUsers{
		Actor: v.User, Query: search, Page: application.Page{Before: before},
	})
	if err != nil {
		return nil, err
	}
	keep := url.Values{}
	if search != "" {
		keep.Set("q", search)
	}
	here := "/admin/users"
	if len(keep) > 0 || before > 0 {
		all := url.Values{}
		for k, vs := range keep {
			all[k] = vs
		}
		if before > 0 {
			all.Set("before", q.Get("before"))
		}
		here += "?" + all.Encode()
	}
	return &usersPage{
		layout: layout{Section: "users", Here: here},
		Q:      search,
		Users:  page.Users,
		Total:  page.Total,
		Pager:  newPager("/admin/users", keep, before, page.Next),
	}, nil
}

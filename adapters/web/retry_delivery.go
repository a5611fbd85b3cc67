package web

import (
	"net/http"
	"net/url"

	"crm/application"
	"crm/domain"
)

// retryDelivery answers POST /admin/deliveries/{id}/retry (next: the
// deliveries page to go back to): a failed or pending delivery becomes due
// now, with a fresh run of attempts. Errors: ErrDeliveryNotFound (404).
func (h *Handler) retryDelivery(w http.ResponseWriter, r *http.Request, v *visitor) error {
	id, err := pathID(r, domain.ErrDeliveryNotFound)
	if err != nil {
		return err
	}
	f, err := newForm(r, "next")
	if err != nil {
		return err
	}
	if h.telegram == nil {
		return domain.ErrDeliveryNotFound // nothing is delivered without it
	}
	if err := h.telegram.RetryDelivery.Handle(r.Context(), application.RetryDelivery{Actor: v.User, ID: id}); err != nil {
		return err
	}
	h.setFlash(w, "delivery_retried", id)
	http.Redirect(w, r, deliveriesPageURL(f.Get("next")), http.StatusSeeOther)
	return nil
}

// deliveriesPageURL returns next if it is the deliveries page (with its
// filters), else the plain deliveries page.
func deliveriesPageURL(next string) string {
	next = localPath(next, "/admin/deliveries")
	if u, err := url.Parse(next); err != nil || u.Path != "/admin/deliveries" {
		return "/admin/deliveries"
	}
	return next
}

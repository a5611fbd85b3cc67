package web

import (
	"net/http"

	"crm/application"
	"crm/domain"
)

// setSLAPolicy answers POST /admin/sla (type, response, resolution,
// calendar "24x7" or "business", time_zone, schedule) for admins. Saved, it
// goes back to the page saying so; refused, it shows the page again with
// the values sent and a message beside each wrong field, nothing saved.
func (h *Handler) setSLAPolicy(w http.ResponseWriter, r *http.Request, v *visitor) error {
	f, err := newForm(r, slaFields...)
	if f == nil {
		return err
	}
	if err == nil {
		_, err = h.app.SetSLAPolicy.Handle(r.Context(), application.SetSLAPolicy{
			Actor: v.User, Type: f.Get("type"), Response: f.Get("response"), Resolution: f.Get("resolution"),
			BusinessHours: f.Get("calendar") == "business", TimeZone: f.Get("time_zone"), Schedule: f.Get("schedule"),
		})
	}
	if err == nil {
		http.Redirect(w, r, "/admin/sla?saved="+f.Get("type"), http.StatusSeeOther)
		return nil
	}
	if !f.fail(v.Lang, err) {
		return err
	}
	p, err := h.loadSLAPage(r.Context(), v)
	if err != nil {
		return err
	}
	typ, _ := domain.ParseTicketType(f.Get("type"))
	replaced := false
	for i := range p.Forms {
		if p.Forms[i].Type == typ {
			p.Forms[i].Form, replaced = f, true
		}
	}
	if !replaced && len(p.Forms) > 0 {
		// An unknown type: the message shows above the first form.
		p.Forms[0].Form.Other = append(p.Forms[0].Form.Other, f.firstError())
	}
	return h.render(w, r, v, problemInvalid.Status, "sla", p)
}

package web

import (
	"context"
	"net/http"

	"crm/application"
	"crm/domain"
)

// slaPage is the admin page of the response targets: one form per ticket
// type.
type slaPage struct {
	layout
	Forms []slaForm
	// Saved names the type whose targets were just saved ("" for none).
	Saved string
}

// slaForm is the form of one type's targets, filled from its policy or,
// after a refusal, from what was sent.
type slaForm struct {
	Type domain.TicketType
	Form *form // type, response, resolution, calendar, time_zone, schedule
}

// slaFields are the fields of a targets form.
var slaFields = []string{"type", "response", "resolution", "calendar", "time_zone", "schedule"}

// showSLA answers GET /admin/sla for admins: the targets of every type.
func (h *Handler) showSLA(w http.ResponseWriter, r *http.Request, v *visitor) error {
	p, err := h.loadSLAPage(r.Context(), v)
	if err != nil {
		return err
	}
	if saved := r.URL.Query().Get("saved"); saved != "" {
		if t, err := domain.ParseTicketType(saved); err == nil {
			p.Saved = t.String()
		}
	}
	return h.render(w, r, v, http.StatusOK, "sla", p)
}

// loadSLAPage reads the stored policies into their forms.
func (h *Handler) loadSLAPage(ctx context.Context, v *visitor) (*slaPage, error) {
	policies, err := h.app.ListSLAPolicies.Handle(ctx, application.ListSLAPolicies{Actor: v.User})
	if err != nil {
		return nil, err
	}
	p := &slaPage{layout: layout{Section: "sla"}}
	for _, pol := range policies {
		values := map[string]string{
			"type": pol.Type.String(), "response": domain.FormatTarget(pol.Response),
			"resolution": domain.FormatTarget(pol.Resolution), "calendar": "24x7",
			"time_zone": "Europe/Moscow", "schedule": defaultSchedule,
		}
		if !pol.Calendar.IsAllWeek() {
			values["calendar"], values["time_zone"], values["schedule"] = "business", pol.Calendar.Zone(), pol.Calendar.Schedule()
		}
		f := emptyForm(values)
		f.fields = slaFields
		p.Forms = append(p.Forms, slaForm{Type: pol.Type, Form: f})
	}
	return p, nil
}

// defaultSchedule is what the schedule field offers before business hours
// are chosen: a working week.
const defaultSchedule = "mon 09:00-18:00\ntue 09:00-18:00\nwed 09:00-18:00\nthu 09:00-18:00\nfri 09:00-18:00"

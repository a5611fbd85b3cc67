package application

import (
	"context"
	"fmt"

	"crm/domain"
)

// SetSLAPolicy sets the response targets of one ticket type, as the admin
// page's form sends them: targets as people write them ("4h", "3d"), and,
// for business hours, a time zone and a weekly schedule ("mon 09:00-18:00",
// one range a line).
type SetSLAPolicy struct {
	Actor         *domain.User
	Type          string
	Response      string
	Resolution    string
	BusinessHours bool
	TimeZone      string
	Schedule      string
}

type SetSLAPolicyHandler struct {
	policies SLAPolicies
	clock    Clock
}

func NewSetSLAPolicyHandler(policies SLAPolicies, clock Clock) SetSLAPolicyHandler {
	return SetSLAPolicyHandler{policies: policies, clock: clock}
}

// Handle checks and saves the policy; it applies to tickets filed from now
// on. Errors: ErrForbidden for anyone but admins; domain.ValidationErrors
// naming every wrong field ("type", "response", "resolution", "time_zone",
// "schedule"), and then nothing is saved.
func (h SetSLAPolicyHandler) Handle(ctx context.Context, cmd SetSLAPolicy) (domain.SLAPolicy, error) {
	if !cmd.Actor.IsAdmin() {
		return domain.SLAPolicy{}, domain.ErrForbidden
	}
	if h.policies == nil {
		return domain.SLAPolicy{}, fmt.Errorf("save response targets: no store")
	}
	var errs domain.ValidationErrors
	add := func(err error) {
		if v, ok := domain.AsValidation(err); ok {
			errs = append(errs, v...)
		}
	}
	typ, err := domain.ParseTicketType(cmd.Type)
	add(err)
	response, err := domain.ParseTarget("response", cmd.Response)
	add(err)
	resolution, err := domain.ParseTarget("resolution", cmd.Resolution)
	add(err)
	cal := domain.AllWeek
	if cmd.BusinessHours {
		week, err := domain.ParseSchedule(cmd.Schedule)
		add(err)
		if err == nil {
			cal, err = domain.NewBusinessHours(cmd.TimeZone, week)
			add(err)
		} else {
			_, err = domain.LoadZone(cmd.TimeZone)
			add(err)
		}
	}
	if errs.Field("response") == "" && errs.Field("resolution") == "" {
		_, err = domain.NewSLAPolicy(typ, response, resolution, cal)
		add(err)
	}
	if len(errs) > 0 {
		return domain.SLAPolicy{}, errs
	}
	p, err := domain.NewSLAPolicy(typ, response, resolution, cal)
	if err != nil {
		return domain.SLAPolicy{}, err
	}
	if err := h.policies.SavePolicy(ctx, p, h.clock.Now()); err != nil {
		return domain.SLAPolicy{}, fmt.Errorf("save response targets of %s: %w", typ, err)
	}
	return p, nil
}

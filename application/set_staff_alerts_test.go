package application_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

func TestOnlyStaffSwitchTheirAlerts(t *testing.T) {
	w := newWorld(t)
	staff := w.user("bob", domain.RoleStaff)
	user := w.user("alice", domain.RoleUser)
	h := application.NewSetStaffAlertsHandler(w.store.Users)

	require.NoError(t, h.Handle(context.Background(), application.SetStaffAlerts{Actor: staff, NewTickets: false, OwnerReplies: true}))
	got := w.reload(staff)
	assert.False(t, got.AlertsNewTickets())
	assert.True(t, got.AlertsOwnerReplies())

	err := h.Handle(context.Background(), application.SetStaffAlerts{Actor: user})
	assert.ErrorIs(t, err, domain.ErrForbidden)
	assert.True(t, w.reload(user).AlertsNewTickets(), "nothing changed")

	// Demoted after the page was loaded: the stored role decides.
	require.NoError(t, w.store.Users.Update(context.Background(), staff.ID(), func(u *domain.User) error {
		u.ChangeRole(u, domain.RoleUser, w.clock.Now())
		return nil
	}))
	err = h.Handle(context.Background(), application.SetStaffAlerts{Actor: staff, NewTickets: true, OwnerReplies: true})
	assert.ErrorIs(t, err, domain.ErrForbidden)
	assert.False(t, w.reload(staff).AlertsNewTickets())
}

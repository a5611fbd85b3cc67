package domain_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/domain"
)

// workflow is DESIGN.md's status workflow, all nine pairs spelled out.
var workflow = []struct {
	from, to domain.Status
	allowed  bool
}{
	{domain.StatusOpen, domain.StatusOpen, false},
	{domain.StatusOpen, domain.StatusInProgress, true},
	{domain.StatusOpen, domain.StatusClosed, true},
	{domain.StatusInProgress, domain.StatusOpen, false},
	{domain.StatusInProgress, domain.StatusInProgress, false},
	{domain.StatusInProgress, domain.StatusClosed, true},
	{domain.StatusClosed, domain.StatusOpen, true},
	{domain.StatusClosed, domain.StatusInProgress, false},
	{domain.StatusClosed, domain.StatusClosed, false},
}

func TestWorkflowCoversEveryPair(t *testing.T) {
	assert.Len(t, workflow, len(domain.Statuses())*len(domain.Statuses()))
}

func TestStatusCanBecome(t *testing.T) {
	for _, tc := range workflow {
		t.Run(tc.from.String()+"→"+tc.to.String(), func(t *testing.T) {
			assert.Equal(t, tc.allowed, tc.from.CanBecome(tc.to))
		})
	}
}

func TestStatusNextListsAllowedTransitionsInWorkflowOrder(t *testing.T) {
	assert.Equal(t, []domain.Status{domain.StatusInProgress, domain.StatusClosed}, domain.StatusOpen.Next())
	assert.Equal(t, []domain.Status{domain.StatusClosed}, domain.StatusInProgress.Next())
	assert.Equal(t, []domain.Status{domain.StatusOpen}, domain.StatusClosed.Next())
	assert.Empty(t, domain.Status{}.Next())
}

func TestStatusNextReturnsACopy(t *testing.T) {
	next := domain.StatusOpen.Next()
	next[0] = domain.StatusClosed

	assert.Equal(t, domain.StatusInProgress, domain.StatusOpen.Next()[0], "the workflow must not change through Next's result")
}

func TestParseStatus(t *testing.T) {
	for _, st := range domain.Statuses() {
		got, err := domain.ParseStatus(st.String())
		require.NoError(t, err)
		assert.Equal(t, st, got)
	}
	for _, bad := range []string{"", "Open", "OPEN", "in progress", "done", " open"} {
		t.Run("refuses "+bad, func(t *testing.T) {
			_, err := domain.ParseStatus(bad)
			assert.Equal(t, domain.ValidationError{Field: "status", Code: domain.CodeInvalid}, err)
		})
	}
}

func TestStatusStringAndZero(t *testing.T) {
	assert.Equal(t, "open", domain.StatusOpen.String())
	assert.Equal(t, "in_progress", domain.StatusInProgress.String())
	assert.Equal(t, "closed", domain.StatusClosed.String())
	assert.True(t, domain.Status{}.IsZero())
	assert.False(t, domain.StatusOpen.IsZero())
	assert.Panics(t, func() { domain.MustParseStatus("done") })
	assert.Equal(t, domain.StatusClosed, domain.MustParseStatus("closed"))
}

func TestParseRole(t *testing.T) {
	for _, r := range domain.Roles() {
		got, err := domain.ParseRole(r.String())
		require.NoError(t, err)
		assert.Equal(t, r, got)
	}
	for _, bad := range []string{"", "Admin", "superuser", "root"} {
		t.Run("refuses "+bad, func(t *testing.T) {
			_, err := domain.ParseRole(bad)
			assert.Equal(t, domain.ValidationError{Field: "role", Code: domain.CodeInvalid}, err)
		})
	}
	assert.Panics(t, func() { domain.MustParseRole("root") })
	assert.True(t, domain.Role{}.IsZero())
}

func TestRolePrivileges(t *testing.T) {
	tests := []struct {
		role         domain.Role
		staff, admin bool
	}{
		{domain.RoleUser, false, false},
		{domain.RoleStaff, true, false},
		{domain.RoleAdmin, true, true},
		{domain.Role{}, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.role.String(), func(t *testing.T) {
			assert.Equal(t, tc.staff, tc.role.IsStaff(), "IsStaff")
			assert.Equal(t, tc.admin, tc.role.IsAdmin(), "IsAdmin")
		})
	}
}

func TestParseTicketType(t *testing.T) {
	for _, tt := range domain.TicketTypes() {
		got, err := domain.ParseTicketType(tt.String())
		require.NoError(t, err)
		assert.Equal(t, tt, got)
	}
	tests := []struct {
		name, in string
		want     error
	}{
		{"empty is required", "", domain.ValidationError{Field: "type", Code: domain.CodeRequired}},
		{"unknown", "complaint", domain.ValidationError{Field: "type", Code: domain.CodeInvalid}},
		{"wrong case", "Repair", domain.ValidationError{Field: "type", Code: domain.CodeInvalid}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := domain.ParseTicketType(tc.in)
			assert.Equal(t, tc.want, err)
		})
	}
	assert.Equal(t, []string{"consultation", "repair", "service"},
		[]string{domain.TypeConsultation.String(), domain.TypeRepair.String(), domain.TypeService.String()})
	assert.Panics(t, func() { domain.MustParseTicketType("complaint") })
	assert.True(t, domain.TicketType{}.IsZero())
}

func TestClosedSetsAreNewSlicesEachCall(t *testing.T) {
	statuses := domain.Statuses()
	statuses[0] = domain.StatusClosed
	_ = append(statuses[:1], domain.StatusClosed)
	roles := domain.Roles()
	roles[0] = domain.RoleAdmin
	types := domain.TicketTypes()
	types[0] = domain.TypeService

	assert.Equal(t, []domain.Status{domain.StatusOpen, domain.StatusInProgress, domain.StatusClosed}, domain.Statuses())
	assert.Equal(t, []domain.Role{domain.RoleUser, domain.RoleStaff, domain.RoleAdmin}, domain.Roles())
	assert.Equal(t, []domain.TicketType{domain.TypeConsultation, domain.TypeRepair, domain.TypeService}, domain.TicketTypes())
	_, err := domain.ParseRole("user")
	assert.NoError(t, err, "ParseRole must not read the changed slice")
}

package domain_test

import (
	"time"

	"crm/domain"
)

// t0 is the moment every domain test starts at.
var t0 = time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC)

// userWith returns a stored, active user with id and role.
func userWith(id int64, name string, role domain.Role) *domain.User {
	return domain.RehydrateUser(id, name, "hash", role, true, 0, "", t0)
}

// people used across the domain tests.
var (
	owner    = userWith(1, "owner", domain.RoleUser)
	stranger = userWith(2, "stranger", domain.RoleUser)
	staff    = userWith(3, "staff", domain.RoleStaff)
	admin    = userWith(4, "admin", domain.RoleAdmin)
)

// ticketIn returns a stored ticket #10 of owner in status st.
func ticketIn(st domain.Status) *domain.Ticket {
	return domain.RehydrateTicket(10, owner.ID(), owner.Username(), "Пропал звук", "Нет звука в наушниках",
		domain.TypeRepair, st, 0, "", t0, t0, nil, nil)
}

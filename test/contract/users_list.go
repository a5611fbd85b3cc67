package contract

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

// userList is the contract of application.Users.List.
func userList(t *testing.T, newStore Factory) {
	t.Run("List filters, counts and pages newest first", func(t *testing.T) {
		s := newStore(t)
		admin := addUser(t, s, "Alice", domain.RoleAdmin)
		alina := addUser(t, s, "alina", domain.RoleStaff)
		bob := addUser(t, s, "bob", domain.RoleUser)
		aUb := addUser(t, s, "a_b", domain.RoleUser)
		axb := addUser(t, s, "axb", domain.RoleStaff)
		olga := addUser(t, s, "Ольга", domain.RoleAdmin)
		require.NoError(t, s.Users.Update(ctx(t), axb.ID(), func(u *domain.User) error {
			u.SetActive(admin, false, at(1))
			return nil
		}))
		staff := []domain.Role{domain.RoleStaff, domain.RoleAdmin}

		for _, tc := range []struct {
			name   string
			filter application.UserFilter
			want   []*domain.User
		}{
			{"everyone", application.UserFilter{}, []*domain.User{olga, axb, aUb, bob, alina, admin}},
			{"part of the username", application.UserFilter{Query: "ali"}, []*domain.User{alina, admin}},
			{"any case", application.UserFilter{Query: "ALI"}, []*domain.User{alina, admin}},
			{"cyrillic in any case", application.UserFilter{Query: "ОЛЬ"}, []*domain.User{olga}},
			{"underscore is literal", application.UserFilter{Query: "a_b"}, []*domain.User{aUb}},
			{"percent is literal", application.UserFilter{Query: "%"}, nil},
			{"roles", application.UserFilter{Roles: staff}, []*domain.User{olga, axb, alina, admin}},
			{"one role", application.UserFilter{Roles: []domain.Role{domain.RoleUser}}, []*domain.User{aUb, bob}},
			{"active only", application.UserFilter{ActiveOnly: true}, []*domain.User{olga, aUb, bob, alina, admin}},
			{"active staff", application.UserFilter{Roles: staff, ActiveOnly: true}, []*domain.User{olga, alina, admin}},
			{"query and roles", application.UserFilter{Query: "a", Roles: []domain.Role{domain.RoleStaff}}, []*domain.User{axb, alina}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				page, err := s.Users.List(ctx(t), tc.filter)
				require.NoError(t, err)
				assert.Equal(t, userIDs(tc.want), userIDs(page.Users))
				assert.Equal(t, len(tc.want), page.Total)
				assert.Zero(t, page.Next)
			})
		}

		t.Run("pages", func(t *testing.T) {
			var seen []int64
			f := application.UserFilter{Page: application.Page{Limit: 4}}
			for range 10 {
				page, err := s.Users.List(ctx(t), f)
				require.NoError(t, err)
				assert.Equal(t, 6, page.Total)
				seen = append(seen, userIDs(page.Users)...)
				if page.Next == 0 {
					break
				}
				f.Page.Before = page.Next
			}
			assert.Equal(t, userIDs([]*domain.User{olga, axb, aUb, bob, alina, admin}), seen)
		})
	})

}

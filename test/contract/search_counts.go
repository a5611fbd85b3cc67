package contract

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

// searchCounts is the contract of the counts application.Tickets.Search
// gives per status: they stay right after every kind of change, concurrent
// ones included, as a world read back ticket by ticket says.
func searchCounts(t *testing.T, newStore Factory) {
	t.Run("counts follow every kind of change", func(t *testing.T) {
		s := newStore(t)
		w := newWorld(t, s)
		alice, bob := w.users["alice"], w.users["bob"]
		sam, sue := w.users["sam"], w.users["sue"]

		// Hand-written at the start, so that the oracle is not the only
		// judge.
		w.add(alice, domain.TypeRepair)
		page, err := s.Tickets.Search(ctx(t), application.TicketFilter{})
		require.NoError(t, err)
		assert.Equal(t, map[domain.Status]int{domain.StatusOpen: 1}, nonZero(page.ByStatus))
		assert.Equal(t, 1, page.Total)

		steps := []struct {
			name string
			do   func(t *testing.T)
		}{
			{"adds", func(t *testing.T) {
				for i, typ := range []domain.TicketType{domain.TypeRepair, domain.TypeConsultation, domain.TypeService,
					domain.TypeRepair, domain.TypeService, domain.TypeConsultation, domain.TypeRepair} {
					w.add([]*domain.User{alice, bob}[i%2], typ)
				}
			}},
			{"a status change", func(t *testing.T) { w.status(1, sam, domain.StatusInProgress) }},
			{"a second status change", func(t *testing.T) { w.status(1, sam, domain.StatusClosed) }},
			{"open straight to closed", func(t *testing.T) { w.status(2, sue, domain.StatusClosed) }},
			{"a reopen", func(t *testing.T) { w.status(1, sam, domain.StatusOpen) }},
			{"an assignment", func(t *testing.T) { w.assign(3, sam, sam) }},
			{"a second assignment", func(t *testing.T) { w.assign(4, sam, sam) }},
			{"a reassignment", func(t *testing.T) { w.assign(3, sue, sue) }},
			{"an unassignment", func(t *testing.T) { w.assign(4, sam, nil) }},
			{"a status change of an assigned ticket", func(t *testing.T) { w.status(3, sue, domain.StatusInProgress) }},
			{"assignment and status change in one update", func(t *testing.T) {
				update(t, s, w.ids[5], func(tk *domain.Ticket) error {
					if err := tk.Assign(sam, sue, w.next()); err != nil {
						return err
					}
					return tk.ChangeStatus(sam, domain.StatusClosed, "", w.next())
				})
			}},
			{"a reopen of an assigned ticket", func(t *testing.T) { w.status(5, sue, domain.StatusOpen) }},
			{"a comment", func(t *testing.T) {
				update(t, s, w.ids[6], func(tk *domain.Ticket) error { return tk.AddComment(sam, "ok", false, w.next()) })
			}},
			{"a failing update", func(t *testing.T) {
				err := s.Tickets.Update(ctx(t), w.ids[7], func(tk *domain.Ticket) error {
					require.NoError(t, tk.Assign(sam, sam, w.next()))
					require.NoError(t, tk.ChangeStatus(sam, domain.StatusClosed, "", w.next()))
					return errBoom
				})
				require.ErrorIs(t, err, errBoom)
			}},
			{"a refused transition", func(t *testing.T) {
				err := s.Tickets.Update(ctx(t), w.ids[3], func(tk *domain.Ticket) error {
					return tk.ChangeStatus(sue, domain.StatusOpen, "", w.next()) // in progress → open
				})
				require.ErrorIs(t, err, domain.ErrInvalidTransition)
			}},
			{"an add after changes", func(t *testing.T) { w.add(bob, domain.TypeRepair) }},
		}
		for _, step := range steps {
			t.Run(step.name, func(t *testing.T) {
				step.do(t)
				w.check(t)
			})
		}
	})

	t.Run("counts stay right under concurrent changes", func(t *testing.T) {
		s := newStore(t)
		w := newWorld(t, s)
		sam, sue := w.users["sam"], w.users["sue"]
		// More tickets than PostgreSQL's 8 count shards, so that some
		// tickets share a counter row.
		for i := range 24 {
			w.add([]*domain.User{w.users["alice"], w.users["bob"]}[i%2], domain.TicketTypes()[i%len(domain.TicketTypes())])
		}
		const workers, rounds = 20, 8

		errs := runConcurrently(workers, func(i int) error {
			for r := range rounds {
				id := w.ids[(i*5+r*7)%len(w.ids)]
				by := []*domain.User{sam, sue}[(i+r)%2]
				err := s.Tickets.Update(ctx(t), id, func(tk *domain.Ticket) error {
					switch (i + r) % 3 {
					case 0: // the first status the workflow offers: every status is visited
						return tk.ChangeStatus(by, tk.Status().Next()[0], "", at(100+r))
					case 1: // to another staff member, or back to nobody
						to := []*domain.User{sam, sue, nil}[(i+2*r)%3]
						if err := tk.Assign(by, to, at(100+r)); err != nil {
							return err
						}
						return tk.ChangeStatus(by, tk.Status().Next()[len(tk.Status().Next())-1], "", at(100+r))
					default:
						return tk.Assign(by, by, at(100+r))
					}
				})
				if err != nil {
					return fmt.Errorf("worker %d round %d, ticket %d: %w", i, r, id, err)
				}
			}
			return nil
		})

		for _, err := range errs {
			require.NoError(t, err)
		}
		w.check(t)
		// Every status change landed: the counts were checked after the
		// changes, not on a still world.
		changes, want := 0, 0
		for i := range workers {
			for r := range rounds {
				if (i+r)%3 != 2 {
					want++
				}
			}
		}
		for _, id := range w.ids {
			changes += len(get(t, s, id).History())
		}
		assert.Equal(t, want, changes, "status changes stored")
	})
}

// world is a small desk whose every Search is checked against the tickets
// read back one by one with Get.
type world struct {
	t     *testing.T
	s     Store
	users map[string]*domain.User
	ids   []int64
	clock int
}

func newWorld(t *testing.T, s Store) *world {
	w := &world{t: t, s: s, users: map[string]*domain.User{}}
	for _, u := range []struct {
		name string
		role domain.Role
	}{{"alice", domain.RoleUser}, {"bob", domain.RoleUser}, {"sam", domain.RoleStaff}, {"sue", domain.RoleStaff}} {
		w.users[u.name] = addUser(t, s, u.name, u.role)
	}
	return w
}

func (w *world) next() time.Time {
	w.clock++
	return at(w.clock)
}

// add stores a ticket of owner with a title and text of common words.
func (w *world) add(owner *domain.User, typ domain.TicketType) {
	n := len(w.ids)
	tk := addTicket(w.t, w.s, owner, fmt.Sprintf("Заявка %d %s", n, []string{"принтер", "сканер"}[n%2]), []string{"Не печатает", "Шумит вентилятор", "Нужна консультация"}[n%3], typ, w.next())
	w.ids = append(w.ids, tk.ID())
}

// status changes the status of the i-th ticket, which must succeed.
func (w *world) status(i int, by *domain.User, to domain.Status) {
	w.t.Helper()
	update(w.t, w.s, w.ids[i], func(tk *domain.Ticket) error { return tk.ChangeStatus(by, to, "", w.next()) })
}

// assign gives the i-th ticket to assignee (nil: nobody).
func (w *world) assign(i int, by, assignee *domain.User) {
	w.t.Helper()
	update(w.t, w.s, w.ids[i], func(tk *domain.Ticket) error { return tk.Assign(by, assignee, w.next()) })
}

// filters are the combinations the pages and the API use.
func (w *world) filters() map[string]application.TicketFilter {
	fs := map[string]application.TicketFilter{"everything": {}}
	statuses := append([]domain.Status{{}}, domain.Statuses()...)
	for _, st := range statuses {
		sn := "status " + st.String()
		fs[sn] = application.TicketFilter{Status: st}
		for _, typ := range domain.TicketTypes() {
			fs[sn+", type "+typ.String()] = application.TicketFilter{Status: st, Type: typ}
			fs[sn+", type "+typ.String()+", unassigned"] = application.TicketFilter{Status: st, Type: typ, AssigneeID: application.Unassigned}
		}
		fs[sn+", unassigned"] = application.TicketFilter{Status: st, AssigneeID: application.Unassigned}
		for _, name := range []string{"sam", "sue"} {
			fs[sn+", assignee "+name] = application.TicketFilter{Status: st, AssigneeID: w.users[name].ID()}
			fs[sn+", assignee "+name+", type repair"] = application.TicketFilter{Status: st, AssigneeID: w.users[name].ID(), Type: domain.TypeRepair}
		}
		for _, name := range []string{"alice", "bob"} {
			fs[sn+", owner "+name] = application.TicketFilter{Status: st, OwnerID: w.users[name].ID()}
			fs[sn+", owner "+name+", unassigned"] = application.TicketFilter{Status: st, OwnerID: w.users[name].ID(), AssigneeID: application.Unassigned}
			fs[sn+", owner "+name+", type service"] = application.TicketFilter{Status: st, OwnerID: w.users[name].ID(), Type: domain.TypeService}
		}
		fs[sn+", query принтер"] = application.TicketFilter{Status: st, Query: "принтер"}
		fs[sn+", query шумит, assignee sam"] = application.TicketFilter{Status: st, Query: "шумит", AssigneeID: w.users["sam"].ID()}
	}
	return fs
}

// check compares, for every filter, Search's tickets, Total and ByStatus
// with what the tickets read back by Get say.
func (w *world) check(t *testing.T) {
	t.Helper()
	all := make([]*domain.Ticket, 0, len(w.ids))
	for _, id := range slices.Backward(w.ids) {
		all = append(all, get(t, w.s, id))
	}
	for name, f := range w.filters() {
		f.Page.Limit = application.MaxPageSize
		var want []*domain.Ticket
		byStatus := map[domain.Status]int{}
		for _, tk := range all {
			if !matches(tk, f) {
				continue
			}
			byStatus[tk.Status()]++
			if f.Status.IsZero() || tk.Status() == f.Status {
				want = append(want, tk)
			}
		}
		page, err := w.s.Tickets.Search(ctx(t), f)
		require.NoError(t, err, name)
		assert.Equal(t, ticketIDs(want), ticketIDs(page.Tickets), "tickets of %s", name)
		assert.Equal(t, len(want), page.Total, "total of %s", name)
		assert.Equal(t, byStatus, nonZero(page.ByStatus), "counts of %s", name)
		assert.False(t, page.CountCapped, name)
	}
}

// matches reports whether tk passes every filter of f but the status.
func matches(tk *domain.Ticket, f application.TicketFilter) bool {
	switch {
	case f.OwnerID != 0 && tk.OwnerID() != f.OwnerID:
		return false
	case !f.Type.IsZero() && tk.Type() != f.Type:
		return false
	case f.AssigneeID == application.Unassigned && tk.AssigneeID() != 0:
		return false
	case f.AssigneeID > 0 && tk.AssigneeID() != f.AssigneeID:
		return false
	case f.Query != "" && !application.MatchesSearch(application.TicketSearchText(tk), application.SearchTerms(f.Query)):
		return false
	}
	return true
}

package bootstrap

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/domain"
)

var demoTestNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// demoTestPeople returns owners and staff with ids, as storage returns them.
func demoTestPeople(nOwners, nStaff int) (owners, staff []*domain.User) {
	for i := 1; i <= nOwners; i++ {
		owners = append(owners, domain.RehydrateUser(int64(i), fmt.Sprintf("load_user_%d", i), "h",
			domain.RoleUser, true, 0, "", demoTestNow))
	}
	for i := 1; i <= nStaff; i++ {
		staff = append(staff, domain.RehydrateUser(int64(1000+i), fmt.Sprintf("load_staff_%d", i), "h",
			domain.RoleStaff, true, 0, "", demoTestNow))
	}
	return owners, staff
}

// generateDemo returns n tickets of a generator seeded with seed.
func generateDemo(t *testing.T, seed uint64, n int, now time.Time) []*domain.Ticket {
	t.Helper()
	owners, staff := demoTestPeople(10, 3)
	g, err := newDemoGenerator(seed, n, owners, staff, now)
	require.NoError(t, err)
	out := make([]*domain.Ticket, n)
	for i := range out {
		out[i] = g.next()
	}
	return out
}

func isRussian(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Cyrillic, r) {
			return true
		}
	}
	return false
}

func TestDemoGeneratorNeedsOwnersAndStaff(t *testing.T) {
	owners, staff := demoTestPeople(1, 1)
	_, err := newDemoGenerator(1, 10, nil, staff, demoTestNow)
	assert.Error(t, err)
	_, err = newDemoGenerator(1, 10, owners, nil, demoTestNow)
	assert.Error(t, err)
}

func TestDemoGeneratorCoversEveryKindOfTicket(t *testing.T) {
	t.Run("the first nine tickets cover every status and type", func(t *testing.T) {
		seen := map[string]bool{}
		for _, tk := range generateDemo(t, 1, 9, demoTestNow) {
			seen[tk.Status().String()+"/"+tk.Type().String()] = true
		}
		assert.Len(t, seen, len(domain.Statuses())*len(domain.TicketTypes()))
	})

	t.Run("a larger run has every variety", func(t *testing.T) {
		statuses := map[domain.Status]int{}
		types := map[domain.TicketType]int{}
		var russian, english, assigned, unassigned, reopened, withComments, internal, byOwner int
		for _, tk := range generateDemo(t, 1, 3000, demoTestNow) {
			statuses[tk.Status()]++
			types[tk.Type()]++
			if isRussian(tk.Title()) {
				russian++
			} else {
				english++
			}
			if tk.AssigneeID() != 0 {
				assigned++
			} else {
				unassigned++
			}
			if len(tk.History()) == 2 && tk.Status() == domain.StatusOpen {
				reopened++
			}
			if len(tk.Comments()) > 0 {
				withComments++
			}
			for _, c := range tk.Comments() {
				if c.Internal {
					internal++
				}
				if c.AuthorID == tk.OwnerID() {
					byOwner++
				}
			}
		}
		for _, s := range domain.Statuses() {
			assert.Positive(t, statuses[s], "status %s", s)
		}
		for _, ty := range domain.TicketTypes() {
			assert.Positive(t, types[ty], "type %s", ty)
		}
		for name, n := range map[string]int{"russian": russian, "english": english, "assigned": assigned,
			"unassigned": unassigned, "reopened": reopened, "with comments": withComments,
			"internal comments": internal, "owner's comments": byOwner} {
			assert.Positive(t, n, name)
		}
		// Most of a desk's history is closed; the open queue is a minority.
		assert.Greater(t, statuses[domain.StatusClosed], statuses[domain.StatusOpen]+statuses[domain.StatusInProgress])
	})
}

func TestDemoGeneratorMakesConsistentTickets(t *testing.T) {
	owners, staff := demoTestPeople(10, 3)
	isStaff := map[int64]bool{}
	for _, s := range staff {
		isStaff[s.ID()] = true
	}
	tickets := generateDemo(t, 7, 5000, demoTestNow)
	var prevCreated time.Time
	for i, tk := range tickets {
		name := fmt.Sprintf("ticket %d", i+1)
		// Valid input for the domain, owned in turn, created in order over
		// the past two years.
		_, err := domain.NewTicket(owners[i%len(owners)], tk.Title(), tk.Text(), tk.Type().String(), demoTestNow)
		require.NoError(t, err, name)
		assert.Equal(t, owners[i%len(owners)].ID(), tk.OwnerID(), name)
		assert.Zero(t, tk.ID(), name)
		assert.Empty(t, tk.Events(), name)
		assert.True(t, tk.CreatedAt().After(prevCreated), "%s created after the one before", name)
		assert.False(t, tk.CreatedAt().Before(demoTestNow.Add(-demoSpan)), name)
		prevCreated = tk.CreatedAt()
		if tk.AssigneeID() != 0 {
			assert.True(t, isStaff[tk.AssigneeID()], "%s assigned to staff", name)
		}

		// The history walks the workflow from open to the ticket's status.
		status, at, firstClose := domain.StatusOpen, tk.CreatedAt(), time.Time{}
		for _, h := range tk.History() {
			assert.Zero(t, h.ID, name)
			assert.Equal(t, status, h.From, "%s: history continues from the last status", name)
			assert.True(t, h.From.CanBecome(h.To), "%s: %s → %s is a workflow step", name, h.From, h.To)
			assert.True(t, isStaff[h.ByID], "%s: status changed by staff", name)
			assert.NotEmpty(t, h.ByName, name)
			assert.False(t, h.At.Before(at), "%s: history in time order", name)
			if h.To == domain.StatusClosed && firstClose.IsZero() {
				firstClose = h.At
			}
			status, at = h.To, h.At
		}
		assert.Equal(t, tk.Status(), status, "%s: history ends at the status", name)
		if tk.Status() != domain.StatusOpen {
			assert.NotEmpty(t, tk.History(), "%s left open with a history", name)
		}

		// Comments: in order, after creation, internal ones by staff, the
		// owner's before the ticket was first closed.
		last := at
		for k, c := range tk.Comments() {
			assert.Zero(t, c.ID, name)
			assert.NotEmpty(t, c.Text, name)
			assert.False(t, c.At.Before(tk.CreatedAt()), "%s: comment after creation", name)
			if k > 0 {
				assert.False(t, c.At.Before(tk.Comments()[k-1].At), "%s: comments in time order", name)
			}
			if c.Internal {
				assert.True(t, isStaff[c.AuthorID], "%s: internal comment by staff", name)
			}
			if c.AuthorID == tk.OwnerID() && !firstClose.IsZero() {
				assert.False(t, c.At.After(firstClose), "%s: owner comments before closing", name)
			}
			if !isStaff[c.AuthorID] {
				assert.Equal(t, tk.OwnerID(), c.AuthorID, "%s: comment by the owner or staff", name)
			}
			if c.At.After(last) {
				last = c.At
			}
		}
		assert.Equal(t, last, tk.UpdatedAt(), "%s: updated at the last change", name)
		assert.False(t, tk.UpdatedAt().After(demoTestNow), "%s: nothing in the future", name)
	}
}

func TestDemoGeneratorIsDeterministic(t *testing.T) {
	a := generateDemo(t, 42, 500, demoTestNow)
	assert.Equal(t, a, generateDemo(t, 42, 500, demoTestNow), "same seed, same tickets")
	assert.NotEqual(t, a, generateDemo(t, 43, 500, demoTestNow), "another seed, other tickets")

	later := generateDemo(t, 42, 500, demoTestNow.Add(24*time.Hour))
	for i := range a {
		assert.Equal(t, a[i].Title(), later[i].Title())
		assert.Equal(t, a[i].Status(), later[i].Status())
		assert.Equal(t, 24*time.Hour, later[i].CreatedAt().Sub(a[i].CreatedAt()), "times move with now")
	}
}

// TestDemoSearchTerms checks the shares the exported search terms promise
// the benchmarks, over what the queue's search reads.
func TestDemoSearchTerms(t *testing.T) {
	const n = 20000
	tickets := generateDemo(t, demoSeed, n, demoTestNow)
	count := func(term string) int {
		found := 0
		for _, tk := range tickets {
			if strings.Contains(strings.ToLower(tk.Title()+"\n"+tk.Text()+"\n"+tk.OwnerName()), term) {
				found++
			}
		}
		return found
	}
	cases := []struct {
		term     string
		min, max float64 // percent of the tickets
	}{
		{DemoCommonTerm, 14, 20},
		{DemoCommonTermEn, 9, 13.5},
		{DemoPrefixTerm, 2.5, 4.5},
		{DemoRareTerm, 0.01, 0.15},
		{DemoRareTermEn, 0.005, 0.12},
		{DemoAbsentTerm, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.term, func(t *testing.T) {
			share := 100 * float64(count(c.term)) / n
			assert.GreaterOrEqual(t, share, c.min)
			assert.LessOrEqual(t, share, c.max)
		})
	}
	t.Run("a prefix, not a word", func(t *testing.T) {
		for _, tk := range tickets {
			for _, w := range strings.Fields(strings.ToLower(tk.Title() + " " + tk.Text())) {
				require.NotEqual(t, DemoPrefixTerm, strings.Trim(w, ".,:;?!"))
			}
		}
	})
	t.Run("a serial finds one ticket", func(t *testing.T) {
		assert.Equal(t, 1, count(strings.ToLower(DemoSerial(4242))))
		assert.Equal(t, 1, count(strings.ToLower(DemoSerial(n))))
		assert.Equal(t, 0, count(strings.ToLower(DemoSerial(n+1))))
	})
}

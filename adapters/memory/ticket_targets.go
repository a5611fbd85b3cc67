package memory

import (
	"cmp"
	"slices"

	"crm/domain"
)

// microTargets returns s with microsecond times and copies of its met
// flags, as the SQL adapters store them.
func microTargets(s domain.TicketTargets) domain.TicketTargets {
	s.ResponseDue, s.ResolutionDue = micro(s.ResponseDue), micro(s.ResolutionDue)
	s.FirstResponseAt, s.ResolvedAt = micro(s.FirstResponseAt), micro(s.ResolvedAt)
	s.WaitingSince = micro(s.WaitingSince)
	s.ResponseMet, s.ResolutionMet = copyBool(s.ResponseMet), copyBool(s.ResolutionMet)
	return s
}

func copyBool(b *bool) *bool {
	if b == nil {
		return nil
	}
	v := *b
	return &v
}

// sortByDue orders ts (newest first) as the SQL adapters' due order does:
// by pending due time, soonest first, ties by id, then those without one,
// newest first; and returns those after the ticket with id before (all of
// them when before is 0).
func sortByDue(ts []*domain.Ticket, before int64) []*domain.Ticket {
	var withDue, without []*domain.Ticket
	for _, t := range ts {
		if t.NextDue().IsZero() {
			without = append(without, t)
		} else {
			withDue = append(withDue, t)
		}
	}
	slices.SortStableFunc(withDue, func(a, b *domain.Ticket) int {
		if c := micro(a.NextDue()).Compare(micro(b.NextDue())); c != 0 {
			return c
		}
		return cmp.Compare(a.ID(), b.ID())
	})
	all := append(withDue, without...)
	if before == 0 {
		return all
	}
	for i, t := range all {
		if t.ID() == before {
			return all[i+1:]
		}
	}
	return nil
}

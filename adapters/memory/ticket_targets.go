package memory

import "crm/domain"

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

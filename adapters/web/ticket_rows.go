package web

import (
	"strings"
	"time"

	"crm/domain"
)

// ticketRow is a ticket as a list shows it, its words already in the
// reader's language: the template prints fields and calls nothing per row.
type ticketRow struct {
	ID           int64
	Title        string
	OwnerName    string
	AssigneeName string // "" when unassigned
	Type         string // the type's name, "Repair"
	Status       badge
	UpdatedAt    time.Time // written as a moment (writeMoment)
	Rating       int       // the owner's stars for the current closing; 0: none
	Due          dueCell
}

// ticketRows are the rows of tickets in lang, their times relative to now.
func ticketRows(lang string, tickets []*domain.Ticket, now time.Time) []ticketRow {
	n := namesFor(lang)
	rows := make([]ticketRow, len(tickets))
	for i, t := range tickets {
		rows[i] = newTicketRow(lang, &n, t, now)
	}
	return rows
}

// newTicketRow is the row of t in lang, whose names are n, its times
// relative to now.
func newTicketRow(lang string, n *names, t *domain.Ticket, now time.Time) ticketRow {
	return ticketRow{
		ID: t.ID(), Title: t.Title(), OwnerName: t.OwnerName(), AssigneeName: t.AssigneeName(),
		Type: n.types[t.Type()], Status: n.badge(t.Status()), UpdatedAt: t.UpdatedAt(),
		Rating: t.Rating(), Due: newDueCell(lang, t, now),
	}
}

// ratingStars draws stars of domain.RatingMax, "★★★★☆" for 4.
func ratingStars(stars int) string {
	stars = max(0, min(stars, domain.RatingMax))
	return strings.Repeat("★", stars) + strings.Repeat("☆", domain.RatingMax-stars)
}

package contract

import (
	"bytes"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/domain"
)

// Merges is the contract of application.Tickets.Merge: the duplicate's
// history, comments and files move to the other ticket in one
// transaction with the closing and TicketMerged, the kept counts and the
// search index follow, and a refused or failed merge changes nothing.
func Merges(t *testing.T, newStore Factory) {
	t.Run("a merge moves history, comments and files and closes the duplicate", func(t *testing.T) {
		s := newStore(t)
		owner := addUser(t, s, "alice", domain.RoleUser)
		sam := addUser(t, s, "sam", domain.RoleStaff)
		photo := upload("фото.png", "image/png", bytes.Repeat([]byte("photo "), 50), []byte("thumb"))
		scan := upload("scan.pdf", "application/pdf", []byte("%PDF scan"), nil)
		gone := upload("gone.txt", "text/plain", []byte("to be deleted"), nil)
		into := addTicket(t, s, owner, "Пропал звук", "Нет звука", domain.TypeRepair, at(0))
		dup := addTicketWith(t, s, owner, at(1), photo, gone)
		update(t, s, into.ID(), func(tk *domain.Ticket) error { return tk.AddComment(sam, "Смотрим", false, at(2)) })
		update(t, s, dup.ID(), func(tk *domain.Ticket) error {
			if err := tk.ChangeStatus(sam, domain.StatusInProgress, "", at(3)); err != nil {
				return err
			}
			return tk.AddComment(owner, "Вот скан", false, at(4), scan)
		})
		update(t, s, dup.ID(), func(tk *domain.Ticket) error { return tk.AddComment(sam, "дубль?", true, at(5)) })
		before := get(t, s, dup.ID())
		deleteFile(t, s, sam, dup.ID(), before.Attachments()[1].ID)
		update(t, s, into.ID(), func(tk *domain.Ticket) error { return tk.AddComment(owner, "Жду", false, at(6)) })
		dupFiles := get(t, s, dup.ID()).Attachments()
		require.Len(t, dupFiles, 2, "the photo and the scan")

		err := s.Tickets.Merge(ctx(t), dup.ID(), into.ID(), func(d, i *domain.Ticket) error {
			return domain.MergeTickets(sam, d, i, atMoscow(7))
		})
		require.NoError(t, err)

		gotDup := get(t, s, dup.ID())
		assert.Equal(t, domain.StatusClosed, gotDup.Status())
		assert.Equal(t, into.ID(), gotDup.MergedInto())
		assert.Empty(t, gotDup.Comments())
		assert.Empty(t, gotDup.Attachments())
		assert.Empty(t, gotDup.DeletedAttachments())
		require.Len(t, gotDup.History(), 1)
		step := gotDup.History()[0]
		assert.Equal(t, into.ID(), step.MergedInto)
		assert.Equal(t, domain.StatusInProgress, step.From)
		assert.Equal(t, domain.StatusClosed, step.To)
		assertTime(t, at(7), step.At)

		got := get(t, s, into.ID())
		assert.Zero(t, got.MergedInto())
		assert.Equal(t, domain.StatusOpen, got.Status())
		var texts []string
		for _, c := range got.Comments() {
			texts = append(texts, c.Text)
		}
		assert.Equal(t, []string{"Смотрим", "Вот скан", "дубль?", "Жду"}, texts, "in the order they were written")
		assert.True(t, got.Comments()[2].Internal, "a note stays internal")
		assertTime(t, at(4), got.Comments()[1].At, "a moved comment keeps its time")
		assert.Equal(t, owner.ID(), got.Comments()[1].AuthorID)
		history := got.History()
		require.Len(t, history, 2, "the duplicate's status change, then the merge")
		assert.Equal(t, domain.StatusInProgress, history[0].To)
		assertTime(t, at(3), history[0].At)
		assert.Equal(t, dup.ID(), history[1].MergedFrom)
		assert.Equal(t, domain.StatusOpen, history[1].From)
		assert.Equal(t, domain.StatusOpen, history[1].To)
		assertTime(t, at(7), got.UpdatedAt())
		assert.Equal(t, dupFiles, got.Attachments(), "the files move with their ids, comments and contents")
		require.Len(t, got.DeletedAttachments(), 1)
		assert.Equal(t, "gone.txt", got.DeletedAttachments()[0].Attachment.Name)
		for _, a := range got.Attachments() {
			_, on, err := s.Attachments.Get(ctx(t), a.ID)
			require.NoError(t, err)
			assert.Equal(t, into.ID(), on.TicketID, "%s is the target's now", a.Name)
		}
		assert.Equal(t, scan.Content, read(t, s, got.Attachments()[1].SHA256))
		assert.Equal(t, got.Comments()[1].ID, got.Attachments()[1].CommentID, "the scan stays on its comment")

		merged := events(t, s, domain.KindTicketMerged)
		require.Len(t, merged, 1)
		assert.Equal(t, domain.TicketMerged{TicketID: dup.ID(), IntoID: into.ID(), OwnerID: owner.ID(),
			Title: "With files", IntoTitle: "Пропал звук", Comments: 2, Files: 2, ByID: sam.ID(), ByName: "sam",
			At: at(7)}, merged[0].Event)
		assert.Equal(t, "ticket:"+itoa(dup.ID()), merged[0].Stream)
		assert.Len(t, events(t, s, domain.KindTicketStatusChanged), 1, "the closing sends no status change")
	})

	t.Run("counts and search follow merges", func(t *testing.T) {
		s := newStore(t)
		w := newWorld(t, s)
		alice, sam := w.users["alice"], w.users["sam"]
		for range 6 {
			w.add(alice, domain.TypeRepair)
		}
		w.status(1, sam, domain.StatusInProgress)
		w.assign(1, sam, sam)
		w.status(3, sam, domain.StatusClosed)
		w.check(t)
		for _, pair := range [][2]int{{1, 0}, {3, 2}, {4, 0}} {
			err := s.Tickets.Merge(ctx(t), w.ids[pair[0]], w.ids[pair[1]], func(d, i *domain.Ticket) error {
				return domain.MergeTickets(sam, d, i, w.next())
			})
			require.NoError(t, err)
			w.check(t)
		}
	})

	t.Run("a refused or failed merge changes nothing", func(t *testing.T) {
		s := newStore(t)
		alice := addUser(t, s, "alice", domain.RoleUser)
		bob := addUser(t, s, "bob", domain.RoleUser)
		sam := addUser(t, s, "sam", domain.RoleStaff)
		dup := addTicket(t, s, alice, "Дубль", "текст", domain.TypeRepair, at(0))
		into := addTicket(t, s, alice, "Оригинал", "текст", domain.TypeRepair, at(1))
		bobs := addTicket(t, s, bob, "Чужая", "текст", domain.TypeRepair, at(2))
		update(t, s, dup.ID(), func(tk *domain.Ticket) error { return tk.AddComment(alice, "ещё", false, at(3)) })
		wantDup, wantInto := get(t, s, dup.ID()), get(t, s, into.ID())
		merge := func(d, i *domain.Ticket) error { return domain.MergeTickets(sam, d, i, at(4)) }

		for _, tc := range []struct {
			name    string
			dup, to int64
			fn      func(d, i *domain.Ticket) error
			want    error
		}{
			{"across owners", dup.ID(), bobs.ID(), merge, domain.ErrMergeAcrossOwners},
			{"into itself", dup.ID(), dup.ID(), merge, domain.ErrMergeIntoSelf},
			{"into no ticket", dup.ID(), bobs.ID() + 100, merge, domain.ErrMergeTargetNotFound},
			{"no duplicate", bobs.ID() + 100, into.ID(), merge, domain.ErrTicketNotFound},
			{"a failure after the merge", dup.ID(), into.ID(), func(d, i *domain.Ticket) error {
				require.NoError(t, merge(d, i))
				return errBoom
			}, errBoom},
		} {
			t.Run(tc.name, func(t *testing.T) {
				err := s.Tickets.Merge(ctx(t), tc.dup, tc.to, tc.fn)

				require.ErrorIs(t, err, tc.want)
				assert.Equal(t, wantDup, get(t, s, dup.ID()))
				assert.Equal(t, wantInto, get(t, s, into.ID()))
				assert.Empty(t, events(t, s, domain.KindTicketMerged))
			})
		}
	})

	t.Run("two merges of one pair in opposite directions: one wins", func(t *testing.T) {
		s := newStore(t)
		alice := addUser(t, s, "alice", domain.RoleUser)
		sam := addUser(t, s, "sam", domain.RoleStaff)
		a := addTicket(t, s, alice, "Первая", "текст", domain.TypeRepair, at(0))
		b := addTicket(t, s, alice, "Вторая", "текст", domain.TypeRepair, at(1))
		pairs := [][2]int64{{a.ID(), b.ID()}, {b.ID(), a.ID()}}

		errs := runConcurrently(2, func(i int) error {
			return s.Tickets.Merge(ctx(t), pairs[i][0], pairs[i][1], func(d, into *domain.Ticket) error {
				return domain.MergeTickets(sam, d, into, at(2))
			})
		})

		var won, refused int
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case errors.Is(err, domain.ErrMergedAway):
				refused++
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		assert.Equal(t, 1, won)
		assert.Equal(t, 1, refused)
		assert.Len(t, events(t, s, domain.KindTicketMerged), 1)
		merged := 0
		for _, id := range []int64{a.ID(), b.ID()} {
			if get(t, s, id).MergedInto() != 0 {
				merged++
			}
		}
		assert.Equal(t, 1, merged)
	})
}

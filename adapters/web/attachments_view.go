package web

import (
	"net/url"
	"strconv"
	"strings"

	"crm/adapters/i18n"
	"crm/adapters/upload"
	"crm/application"
	"crm/domain"
)

// fileView is an attachment as a ticket page lists it.
type fileView struct {
	ID       int64
	Name     string
	Type     string // the content type, as stored
	Size     string // for people: "1.2 MB"
	URL      string // the file itself
	ThumbURL string // its thumbnail; "" when it has none
}

// fileList is the files of the ticket's text or of one comment, and
// whether the reader may delete them (staff).
type fileList struct {
	TicketID  int64
	Files     []fileView
	CanDelete bool
}

// fileIndex holds a ticket's visible files by the comment that carries
// them (0: the ticket's own text), for the templates.
type fileIndex struct {
	ticketID  int64
	byComment map[int64][]fileView
	canDelete bool
}

// newFileIndex sorts the files of view, the reader's visible ones, by
// comment.
func newFileIndex(lang string, view application.TicketView, reader *domain.User) fileIndex {
	idx := fileIndex{ticketID: view.Ticket.ID(), byComment: map[int64][]fileView{}, canDelete: reader.IsStaff()}
	for _, a := range view.Attachments {
		fv := fileView{ID: a.ID, Name: a.Name, Type: a.ContentType, Size: i18n.ByteSize(lang, a.Size), URL: attachmentURL(a)}
		if a.ThumbSHA256 != "" {
			fv.ThumbURL = "/attachments/" + strconv.FormatInt(a.ID, 10) + "/thumbnail"
		}
		idx.byComment[a.CommentID] = append(idx.byComment[a.CommentID], fv)
	}
	return idx
}

// Of returns the files of the comment with id (0: of the ticket's text).
func (x fileIndex) Of(commentID int64) fileList {
	return fileList{TicketID: x.ticketID, Files: x.byComment[commentID], CanDelete: x.canDelete}
}

// thread is what the comments template shows: the comments and their files.
type thread struct {
	Comments []domain.Comment
	Files    fileIndex
}

// attachmentURL is where a file is served: its id and, for people and
// their browsers, its name. A file named "thumbnail" gets another last
// segment, as that one is the thumbnail's.
func attachmentURL(a domain.Attachment) string {
	name := a.Name
	if name == "thumbnail" {
		name = "thumbnail_"
	}
	return "/attachments/" + strconv.FormatInt(a.ID, 10) + "/" + url.PathEscape(name)
}

// limitsView words the attachment limits beside a file input.
type limitsView struct {
	Hint   string
	Accept string // the input's accept attribute: the allowed types
}

func (h *Handler) limitsView(lang string) limitsView {
	return limitsView{
		Hint:   i18n.Message(lang, "files.hint", "max", h.attachMaxFiles, "size", i18n.ByteSize(lang, h.attachMaxBytes)),
		Accept: acceptTypes,
	}
}

// acceptTypes lets the browser's file picker offer the files the desk
// keeps; the server decides by the bytes all the same. The stored text
// type names its charset, which an accept attribute does not take.
var acceptTypes = strings.Replace(strings.Join(upload.Types(), ","), upload.Text, "text/plain", 1)

// historyView is a ticket's history as its pages show it: the status
// changes and the files staff deleted, oldest first.
type historyView struct {
	Ticket  *domain.Ticket
	Entries []historyEntry
}

// historyEntry is one of a status change or a deleted file.
type historyEntry struct {
	Change  *domain.StatusChange
	Deleted *domain.AttachmentDeletion
}

func newHistoryView(v application.TicketView) historyView {
	h := historyView{Ticket: v.Ticket}
	changes, deleted := v.Ticket.History(), v.DeletedAttachments
	for i, j := 0, 0; i < len(changes) || j < len(deleted); {
		if j == len(deleted) || i < len(changes) && !changes[i].At.After(deleted[j].At) {
			h.Entries = append(h.Entries, historyEntry{Change: &changes[i]})
			i++
		} else {
			h.Entries = append(h.Entries, historyEntry{Deleted: &deleted[j]})
			j++
		}
	}
	return h
}

// Seen is the id of the newest comment the thread shows (0: none): the
// comment forms send it back, so that a comment written while someone else
// commented is held back (application.AddComment's CheckSeen).
func (t thread) Seen() int64 {
	var id int64
	for _, c := range t.Comments {
		id = max(id, c.ID)
	}
	return id
}

package web

import (
	"net/http"
	"strconv"

	"crm/adapters/upload"
	"crm/application"
	"crm/domain"
)

// apiAddAttachments answers POST /api/v1/tickets/{id}/attachments, a
// multipart/form-data body: one or more files in "files", an optional
// "text" and, for staff, "internal"=true. The files arrive as a comment,
// through AddComment, so the rules and limits are the pages': 201 with the
// ticket; 404 for a ticket the token's user may not see, 403 for an
// internal note by non-staff, 409 on a closed ticket for its owner, 413 for
// a file over the limit, 422 for no file, too many, an empty one, a type
// not kept or a bad name.
func (h *Handler) apiAddAttachments(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	id, err := pathID(r, domain.ErrTicketNotFound)
	if err != nil {
		return err
	}
	if !takesFiles(r) {
		return errUnsupportedMediaType
	}
	f, files, err := h.readUploadForm(r, "text", "internal")
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return domain.ValidationErrors{{Field: upload.Field, Code: domain.CodeRequired}}
	}
	err = h.app.AddComment.Handle(r.Context(), application.AddComment{
		Actor: u, TicketID: id, Text: f.Get("text"), Internal: f.Get("internal") == "true", Files: files,
	})
	if err != nil {
		return err
	}
	w.Header().Set("Content-Location", apiPrefix+"tickets/"+strconv.FormatInt(id, 10))
	return h.apiWriteTicket(w, r, u, http.StatusCreated, id)
}

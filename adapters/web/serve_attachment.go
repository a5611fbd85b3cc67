package web

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"crm/adapters/upload"
	"crm/application"
	"crm/domain"
)

// attachmentMaxAge is how long a browser may reuse a file it fetched. A
// file's content never changes under its id; a short age still lets a
// deletion or a lost right to the ticket take effect soon.
const attachmentMaxAge = 3600

// serveAttachment answers GET /attachments/{id}/{name}: the file, for those
// who may see its ticket (and, for an internal note's file, staff only);
// 404 for anyone else, as for tickets. The name in the path is for people
// and their browsers; the id decides.
func (h *Handler) serveAttachment(w http.ResponseWriter, r *http.Request, v *visitor) error {
	return h.sendAttachment(w, r, v, false)
}

// serveThumbnail answers GET /attachments/{id}/thumbnail: the small JPEG
// of an image, made at upload; 404 as serveAttachment, and for a file that
// has none.
func (h *Handler) serveThumbnail(w http.ResponseWriter, r *http.Request, v *visitor) error {
	return h.sendAttachment(w, r, v, true)
}

func (h *Handler) sendAttachment(w http.ResponseWriter, r *http.Request, v *visitor, thumbnail bool) error {
	id, err := pathID(r, domain.ErrAttachmentNotFound)
	if err != nil {
		return err
	}
	reader := v.User
	if reader == nil {
		// A program holding the ticket JSON's url sends its API token.
		if reader, err = h.bearerUser(r); err != nil {
			if errors.Is(err, errNoBearer) { // a person whose session ended
				h.redirectToLogin(w, r)
				return nil
			}
			// A program whose token does not log in gets the API's 401
			// (or 503), not a login page meant for people.
			h.apiFail(w, r, err)
			return nil
		}
	}
	att, content, err := h.app.GetAttachment.Handle(r.Context(),
		application.GetAttachment{Actor: reader, ID: id, Thumbnail: thumbnail})
	if err != nil {
		return err
	}
	defer func() { _ = content.Close() }()

	hd := w.Header()
	etag := `"` + att.SHA256 + `"`
	hd.Set("ETag", etag)
	hd.Set("Cache-Control", "private, max-age="+strconv.Itoa(attachmentMaxAge))
	// The file is whatever someone uploaded: the browser must take it for
	// its stored type (never sniff it into a page), and a page it still
	// renders gets no scripts, no forms and no origin of ours.
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", "sandbox")
	if matchesETag(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	hd.Set("Content-Type", att.ContentType)
	hd.Set("Content-Disposition", disposition(att))
	hd.Set("Content-Length", strconv.FormatInt(att.Size, 10))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = io.Copy(w, content)
	}
	return nil
}

// disposition shows images and PDF in the browser and has anything else
// downloaded, under the file's name (RFC 6266: filename*=UTF-8”… for a
// name that is not ASCII).
func disposition(att domain.Attachment) string {
	kind := "attachment"
	if upload.IsImage(att.ContentType) || att.ContentType == upload.PDF {
		kind = "inline"
	}
	if d := mime.FormatMediaType(kind, map[string]string{"filename": att.Name}); d != "" {
		return d
	}
	return kind // a name FormatMediaType cannot write; the browser names it
}

// matchesETag reports whether an If-None-Match header names etag.
func matchesETag(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

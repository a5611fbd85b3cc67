package web

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"slices"

	"crm/adapters/i18n"
	"crm/adapters/upload"
	"crm/domain"
)

// Default attachment limits, when Options leave them zero.
const (
	DefaultAttachmentMaxBytes = 10 << 20
	DefaultAttachmentMaxFiles = 5
)

// uploadSlack is what a request carrying files may hold beyond the files
// themselves: the text fields and the multipart framing.
const uploadSlack = 1 << 20

// errFileTooLarge: a file over the byte limit, found while reading it.
var errFileTooLarge = domain.ValidationError{Field: upload.Field, Code: domain.CodeTooLarge}

// uploadRoutes are the routes that take files; their bodies may be as
// large as the files allowed (maxUploadBody) instead of maxBody.
var uploadRoutes = func() *http.ServeMux {
	m := http.NewServeMux()
	for _, p := range []string{"POST /tickets", "POST /tickets/{id}/comments", "POST " + apiPrefix + "tickets/{id}/attachments"} {
		m.Handle(p, http.NotFoundHandler())
	}
	return m
}()

// takesFiles reports whether r is a multipart request to a route that
// takes files.
func takesFiles(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		return false
	}
	_, pattern := uploadRoutes.Handler(r)
	return pattern != ""
}

// maxUploadBody is the largest body of a request that carries files: every
// file at the limit, and the text around them.
func (h *Handler) maxUploadBody() int64 {
	return int64(h.attachMaxFiles)*h.attachMaxBytes + uploadSlack
}

// readUploadForm reads fields and the files of the field "files" from a
// multipart/form-data body, part by part, without holding more than one
// file in memory beyond those accepted; any other body is read as newForm
// does, without files. Each file is read through a limit of the byte limit
// plus one byte, so one over the limit stops the reading there
// (domain.CodeTooLarge, a 413) instead of after the whole body. Each file is
// checked by upload.Inspect. Errors are newForm's, and
// domain.ValidationErrors on "files" (too_many, too_large, empty, type, a
// bad name): the form then holds the text read so far, to show again.
func (h *Handler) readUploadForm(r *http.Request, fields ...string) (*form, []domain.Upload, error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		f, err := newForm(r, fields...)
		return f, nil, err
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, nil, errBadRequest
	}
	f := &form{values: map[string]string{}, errors: map[string]string{}, fields: append(fields, upload.Field)}
	var files []domain.Upload
	var invalid domain.ValidationErrors
	seen := 0 // files met, refused ones included
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, bodyError(err)
		}
		name, filename, isFile := partNames(part)
		switch {
		case isFile && name == upload.Field:
			if seen == h.attachMaxFiles && filename != "" {
				_ = part.Close()
				return f, nil, domain.ValidationErrors{{Field: upload.Field, Code: domain.CodeTooMany}}
			}
			content, err := io.ReadAll(io.LimitReader(part, h.attachMaxBytes+1))
			if err != nil {
				return nil, nil, bodyError(err)
			}
			if filename == "" && len(content) == 0 {
				continue // the file input left empty: browsers send a nameless empty part
			}
			if seen++; seen > h.attachMaxFiles {
				return f, nil, domain.ValidationErrors{{Field: upload.Field, Code: domain.CodeTooMany}}
			}
			if int64(len(content)) > h.attachMaxBytes {
				return f, nil, domain.ValidationErrors{errFileTooLarge}
			}
			if len(invalid) > 0 {
				continue // one refusal is enough; read on only for the text
			}
			up, err := upload.Inspect(filename, content)
			if err != nil {
				invalid = append(invalid, asValidation(err)...)
				continue
			}
			files = append(files, up)
		case !isFile && slices.Contains(fields, name):
			b, err := io.ReadAll(io.LimitReader(part, h.maxBody+1))
			if err != nil {
				return nil, nil, bodyError(err)
			}
			if int64(len(b)) > h.maxBody {
				return nil, nil, &http.MaxBytesError{Limit: h.maxBody}
			}
			v := domain.NormalizeNewlines(string(b))
			if !domain.ValidText(v) {
				invalid = append(invalid, domain.ValidationError{Field: name, Code: domain.CodeInvalidText})
				v = printable(v)
			}
			if _, seen := f.values[name]; !seen {
				f.values[name] = v
			}
		}
		_ = part.Close()
	}
	if len(invalid) > 0 {
		return f, nil, invalid
	}
	return f, files, nil
}

// partNames returns a part's field name and, for a file, its file name as
// sent: unlike Part.FileName, not cut to its last path element, so that a
// name with a path is refused rather than quietly changed.
func partNames(part *multipart.Part) (name, filename string, isFile bool) {
	_, params, err := mime.ParseMediaType(part.Header.Get("Content-Disposition"))
	if err != nil {
		return "", "", false
	}
	filename, isFile = params["filename"]
	return params["name"], filename, isFile
}

// bodyError keeps a body over the limit a 413; anything else that breaks
// the multipart reading is a 400.
func bodyError(err error) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return err
	}
	return errBadRequest
}

func asValidation(err error) domain.ValidationErrors {
	verrs, _ := domain.AsValidation(err)
	return verrs
}

// failFiles records err's validation errors in f as fail does, naming the
// limits in the messages of too_large and too_many, and returns the status
// to answer: 413 for a file over the limit, 422 for the rest.
func (h *Handler) failFiles(f *form, lang string, err error) (status int, failed bool) {
	if !f.fail(lang, err) {
		return 0, false
	}
	switch asValidation(err).Field(upload.Field) {
	case domain.CodeTooLarge:
		f.errors[upload.Field] = i18n.Message(lang, "error.files.too_large", "limit", i18n.ByteSize(lang, h.attachMaxBytes))
		return http.StatusRequestEntityTooLarge, true
	case domain.CodeTooMany:
		f.errors[upload.Field] = i18n.Message(lang, "error.files.too_many", "max", h.attachMaxFiles)
	case upload.CodeTooManyPixels:
		f.errors[upload.Field] = i18n.Message(lang, "error.files.too_many_pixels", "max", upload.MaxPixels/1_000_000)
	}
	return problemInvalid.Status, true
}

package domain

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"mime"
	"strings"
	"time"
	"unicode/utf8"
)

// Attachment limits. The byte and count limits of an upload are the
// server's configuration (CRM_ATTACHMENT_MAX_BYTES, CRM_ATTACHMENT_MAX_FILES);
// these are the ones no configuration changes.
const (
	AttachmentNameMaxLen = 255 // characters of a file name
)

// ErrAttachmentNotFound: no such attachment, or one its reader may not see
// (another person's ticket, or an internal note's file for a non-staff
// reader). The HTTP edge answers 404 for both, as for tickets.
var ErrAttachmentNotFound = errors.New("attachment not found")

// Attachment is a file on a ticket: on the ticket's own text (CommentID 0)
// or on one of its comments. The content is stored apart, once per distinct
// content (content-addressed by SHA256), and read through the Files port.
type Attachment struct {
	ID          int64
	CommentID   int64  // 0: attached to the ticket itself
	Name        string // the uploader's file name, checked by CheckAttachmentName
	ContentType string // decided from the bytes, never from the name or the browser
	Size        int64  // bytes
	SHA256      string // lowercase hex of the content
	// ThumbSHA256 is the content of a small JPEG preview of an image, made
	// once at upload; "" when there is none.
	ThumbSHA256 string
	Internal    bool // on an internal note: staff only
	ByID        int64
	ByName      string
	At          time.Time
}

// Upload is a file to attach, checked and prepared by the edge that
// received it: the content type sniffed, the SHA-256 computed, the
// thumbnail made. Content is held once in memory (at most the configured
// limit per file).
type Upload struct {
	Name        string
	ContentType string
	Content     []byte
	SHA256      string // lowercase hex of Content
	Thumbnail   []byte // JPEG preview of an image; nil when none
	ThumbSHA256 string // lowercase hex of Thumbnail; "" when none
}

// CheckAttachmentName returns a ValidationError on field when name is not
// a file name this desk keeps: empty, longer than AttachmentNameMaxLen
// characters, not valid text, holding a control character or a path
// separator, or made of dots only.
func CheckAttachmentName(field, name string) error {
	switch {
	case name == "":
		return ValidationError{Field: field, Code: CodeRequired}
	case !utf8.ValidString(name) || !ValidText(name) || strings.ContainsAny(name, "\n\t"):
		return ValidationError{Field: field, Code: CodeInvalidText}
	case utf8.RuneCountInString(name) > AttachmentNameMaxLen:
		return ValidationError{Field: field, Code: CodeTooLong}
	case strings.ContainsAny(name, `/\`) || strings.Trim(name, ".") == "":
		return ValidationError{Field: field, Code: CodeInvalid}
	}
	return nil
}

// Validation codes of the files of a message, on the field "files".
const (
	CodeTooMany  = "too_many"  // more files than the limit
	CodeTooLarge = "too_large" // a file over the byte limit
	CodeEmpty    = "empty"     // a file of no bytes
	CodeType     = "type"      // content of a type the desk does not keep
)

// attachmentTypes are the media types a file may have: images, PDF, plain
// text and the common office formats. Anything that a browser would run or
// render as a page (HTML, SVG, scripts) is not among them.
var attachmentTypes = map[string]bool{
	"image/jpeg":      true,
	"image/png":       true,
	"image/webp":      true,
	"image/gif":       true,
	"application/pdf": true,
	"text/plain":      true,
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   true,
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         true,
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": true,
	"application/vnd.oasis.opendocument.text":                                   true,
	"application/vnd.oasis.opendocument.spreadsheet":                            true,
	"application/vnd.oasis.opendocument.presentation":                           true,
	"application/msword":            true,
	"application/vnd.ms-excel":      true,
	"application/vnd.ms-powerpoint": true,
}

// AttachmentTypeAllowed reports whether a file of contentType may be kept:
// its media type (parameters such as charset aside) is one of the allowed
// ones.
func AttachmentTypeAllowed(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && attachmentTypes[mt]
}

// IsImage reports whether the attachment is a picture a browser shows.
func (a Attachment) IsImage() bool { return strings.HasPrefix(a.ContentType, "image/") }

// AttachmentInfo is what events say of a file: its metadata, never its
// bytes. Storage gives the attachment its id after the event is recorded,
// so there is none here.
type AttachmentInfo struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
}

// checkUpload returns a ValidationError on "files" when u is not a file
// the desk keeps: a bad name, no bytes, a type not allowed, or a hash that
// is not the hash of its content (content-addressed storage would then
// mix files up).
func checkUpload(u Upload) error {
	if err := CheckAttachmentName("files", u.Name); err != nil {
		return err
	}
	switch {
	case len(u.Content) == 0:
		return ValidationError{Field: "files", Code: CodeEmpty}
	case !AttachmentTypeAllowed(u.ContentType):
		return ValidationError{Field: "files", Code: CodeType}
	case u.SHA256 != hexSHA256(u.Content):
		return ValidationError{Field: "files", Code: CodeInvalid}
	case (len(u.Thumbnail) == 0) != (u.ThumbSHA256 == ""):
		return ValidationError{Field: "files", Code: CodeInvalid}
	case len(u.Thumbnail) > 0 && u.ThumbSHA256 != hexSHA256(u.Thumbnail):
		return ValidationError{Field: "files", Code: CodeInvalid}
	}
	return nil
}

// checkUploads checks every upload and returns the first error.
func checkUploads(uploads []Upload) error {
	for _, u := range uploads {
		if err := checkUpload(u); err != nil {
			return err
		}
	}
	return nil
}

func hexSHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Package upload decides what a received file is and prepares it to be
// stored: its type sniffed from the bytes (never from the name or what the
// browser said), its SHA-256, and a small JPEG thumbnail of an image. Every
// edge that takes files (pages, API, Telegram) hands them to Inspect, so all
// of them accept and refuse the same files.
package upload

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"unicode/utf8"

	"crm/domain"
)

// Field is the form field, and the ValidationError field, of files.
const Field = "files"

// Codes of the ValidationErrors Inspect returns.
const (
	// CodeEmpty: the file has no bytes.
	CodeEmpty = domain.CodeEmpty
	// CodeType: the bytes are none of the allowed types (or are damaged).
	CodeType = domain.CodeType
	// CodeTooManyPixels: an image larger than MaxPixels, refused before it
	// is decoded so that a small file cannot unpack into gigabytes.
	CodeTooManyPixels = "too_many_pixels"
)

// Allowed content types, as stored and served.
const (
	JPEG = "image/jpeg"
	PNG  = "image/png"
	WebP = "image/webp"
	GIF  = "image/gif"
	PDF  = "application/pdf"
	Text = "text/plain; charset=utf-8"
	DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
	ODT  = "application/vnd.oasis.opendocument.text"
	ODS  = "application/vnd.oasis.opendocument.spreadsheet"
	ODP  = "application/vnd.oasis.opendocument.presentation"
	DOC  = "application/msword"
	XLS  = "application/vnd.ms-excel"
	PPT  = "application/vnd.ms-powerpoint"
)

// Types lists every content type Inspect accepts.
func Types() []string {
	return []string{JPEG, PNG, WebP, GIF, PDF, Text, DOCX, XLSX, PPTX, ODT, ODS, ODP, DOC, XLS, PPT}
}

// IsImage reports whether contentType is one of the image types, the ones
// that get a thumbnail and are shown inline.
func IsImage(contentType string) bool {
	switch contentType {
	case JPEG, PNG, WebP, GIF:
		return true
	}
	return false
}

// Inspect checks one received file and returns it ready to store. It
// refuses, with a domain.ValidationError on Field, a name that
// domain.CheckAttachmentName refuses, an empty file (CodeEmpty), bytes that
// are none of Types (CodeType: an HTML page named photo.jpg, a plain zip, an
// executable, an image that does not decode) and an image of more than
// MaxPixels (CodeTooManyPixels). The size limit is the caller's: content is
// already in memory here.
func Inspect(name string, content []byte) (domain.Upload, error) {
	if err := domain.CheckAttachmentName(Field, name); err != nil {
		return domain.Upload{}, err
	}
	if len(content) == 0 {
		return domain.Upload{}, refuse(CodeEmpty)
	}
	typ, err := sniff(content)
	if err != nil {
		return domain.Upload{}, err
	}
	up := domain.Upload{Name: name, ContentType: typ, Content: content, SHA256: Hash(content)}
	if IsImage(typ) {
		thumb, err := thumbnail(typ, content)
		if err != nil {
			return domain.Upload{}, err
		}
		up.Thumbnail, up.ThumbSHA256 = thumb, Hash(thumb)
	}
	return up, nil
}

// Hash is the lowercase hex SHA-256 of b, the key a blob is stored under.
func Hash(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func refuse(code string) error { return domain.ValidationError{Field: Field, Code: code} }

// sniff returns the content type of b or a CodeType refusal. The standard
// library's sniffer (the WHATWG algorithm browsers use) names the images,
// PDF, text and zip; zip and OLE2 containers are then opened to tell an
// office document from any other archive.
func sniff(b []byte) (string, error) {
	detected := http.DetectContentType(b)
	switch detected {
	case JPEG, PNG, WebP, GIF, PDF:
		return detected, nil
	case Text:
		// The sniffer looks at the first 512 bytes only; text must be text
		// throughout, or a binary with an innocent start would pass.
		if utf8.Valid(b) && !bytes.ContainsRune(b, 0) {
			return Text, nil
		}
	case "application/zip":
		if typ := zipOffice(b); typ != "" {
			return typ, nil
		}
	}
	if bytes.HasPrefix(b, oleSignature) {
		if typ := oleOffice(b); typ != "" {
			return typ, nil
		}
	}
	return "", refuse(CodeType)
}

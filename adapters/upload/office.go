package upload

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"unicode/utf16"
)

// zipOffice names the office document a zip archive is, or "" when it is
// none. Only the central directory is read, and at most a few bytes of one
// entry, so a zip bomb is never inflated.
func zipOffice(b []byte) string {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil || len(zr.File) == 0 {
		return ""
	}
	// OpenDocument: the first entry is "mimetype", stored, naming the type.
	if first := zr.File[0]; first.Name == "mimetype" {
		switch readSmall(first) {
		case ODT:
			return ODT
		case ODS:
			return ODS
		case ODP:
			return ODP
		}
		return ""
	}
	// Office Open XML: "[Content_Types].xml" and the part folder of one
	// application.
	var types bool
	folders := map[string]bool{}
	for _, f := range zr.File {
		if f.Name == "[Content_Types].xml" {
			types = true
		}
		if dir, _, ok := strings.Cut(f.Name, "/"); ok {
			folders[dir] = true
		}
	}
	switch {
	case !types:
		return ""
	case folders["word"]:
		return DOCX
	case folders["xl"]:
		return XLSX
	case folders["ppt"]:
		return PPTX
	}
	return ""
}

// readSmall returns the content of a short zip entry, or "" when it is
// long, compressed into something long, or unreadable.
func readSmall(f *zip.File) string {
	const most = 100
	if f.UncompressedSize64 > most {
		return ""
	}
	rc, err := f.Open()
	if err != nil {
		return ""
	}
	defer func() { _ = rc.Close() }()
	b, err := io.ReadAll(io.LimitReader(rc, most+1))
	if err != nil || len(b) > most {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// oleSignature starts every OLE2 compound file: the legacy .doc, .xls and
// .ppt, but also installers (.msi) and mail (.msg), which are refused.
var oleSignature = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// oleStreams are the names (UTF-16LE in the compound file's directory) of
// the stream that makes each legacy office document what it is.
var oleStreams = []struct {
	name, typ string
}{
	{"WordDocument", DOC},
	{"Workbook", XLS},
	{"Book", XLS}, // Excel 5 and 95
	{"PowerPoint Document", PPT},
}

// oleOffice names the legacy office document an OLE2 file is, by the
// stream names in its directory, or "" when it holds none of them.
func oleOffice(b []byte) string {
	for _, s := range oleStreams {
		if bytes.Contains(b, utf16le(s.name)) {
			return s.typ
		}
	}
	return ""
}

func utf16le(s string) []byte {
	units := utf16.Encode([]rune(s))
	out := make([]byte, 0, 2*len(units)+2)
	for _, u := range units {
		out = append(out, byte(u), byte(u>>8))
	}
	// A directory entry's name ends with a NUL character: without it,
	// "Book" would match the start of any longer name.
	return append(out, 0, 0)
}

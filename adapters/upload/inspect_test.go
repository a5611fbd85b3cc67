package upload_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/upload"
	"crm/domain"
)

func picture(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.NRGBA{R: uint8(x), G: uint8(y), B: 200, A: 255})
		}
	}
	return img
}

func pngOf(t testing.TB, w, h int) []byte {
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, picture(w, h)))
	return b.Bytes()
}

func jpegOf(t testing.TB, w, h int) []byte {
	var b bytes.Buffer
	require.NoError(t, jpeg.Encode(&b, picture(w, h), nil))
	return b.Bytes()
}

func gifOf(t testing.TB, w, h int) []byte {
	var b bytes.Buffer
	require.NoError(t, gif.Encode(&b, picture(w, h), nil))
	return b.Bytes()
}

// zipOf builds an archive with the entries in order; the first is stored
// (as OpenDocument requires of "mimetype"), the others deflated.
func zipOf(t testing.TB, entries ...[2]string) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for i, e := range entries {
		method := zip.Deflate
		if i == 0 {
			method = zip.Store
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e[0], Method: method})
		require.NoError(t, err)
		_, err = w.Write([]byte(e[1]))
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return b.Bytes()
}

// oleOf is an OLE2 compound file header followed by a directory entry name.
func oleOf(stream string) []byte {
	b := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 504)...)
	for _, u := range utf16.Encode([]rune(stream)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return append(b, make([]byte, 64)...)
}

// hugePNG is a valid PNG header that declares w×h pixels, with no data.
func hugePNG(t testing.TB, w, h uint32) []byte {
	b := pngOf(t, 1, 1)
	binary.BigEndian.PutUint32(b[16:20], w)
	binary.BigEndian.PutUint32(b[20:24], h)
	binary.BigEndian.PutUint32(b[29:33], crc32.ChecksumIEEE(b[12:29]))
	return b
}

// withOrientation inserts an EXIF block saying orientation o after a
// JPEG's start marker.
func withOrientation(j []byte, o uint16) []byte {
	tiff := []byte("MM\x00\x2a\x00\x00\x00\x08")
	tiff = append(tiff, 0, 1)                         // one entry
	tiff = append(tiff, 0x01, 0x12, 0, 3, 0, 0, 0, 1) // orientation, SHORT, count 1
	tiff = binary.BigEndian.AppendUint16(tiff, o)
	tiff = append(tiff, 0, 0, 0, 0, 0, 0, 0, 0) // value padding, no next directory
	seg := append([]byte("Exif\x00\x00"), tiff...)
	app1 := []byte{0xFF, 0xE1}
	app1 = binary.BigEndian.AppendUint16(app1, uint16(len(seg)+2))
	app1 = append(app1, seg...)
	out := append([]byte{}, j[:2]...)
	out = append(out, app1...)
	return append(out, j[2:]...)
}

func testdata(t testing.TB, name string) []byte {
	b, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	return b
}

func TestInspectKnowsTheAllowedTypesByTheirBytes(t *testing.T) {
	office := func(folder string) []byte {
		return zipOf(t, [2]string{"[Content_Types].xml", "<Types/>"}, [2]string{folder + "/document.xml", "<x/>"})
	}
	cases := []struct {
		name    string
		file    string
		content []byte
		want    string
	}{
		{"jpeg", "photo.jpg", jpegOf(t, 40, 30), upload.JPEG},
		{"png named like a pdf", "scan.pdf", pngOf(t, 40, 30), upload.PNG},
		{"gif", "a.gif", gifOf(t, 10, 10), upload.GIF},
		{"lossy webp", "a.webp", testdata(t, "blue-purple-pink.lossy.webp"), upload.WebP},
		{"lossless webp", "b.webp", testdata(t, "gopher-doc.1bpp.lossless.webp"), upload.WebP},
		{"pdf", "receipt.pdf", []byte("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"), upload.PDF},
		{"utf-8 text", "заметка.txt", []byte("Экран треснул после падения.\n"), upload.Text},
		{"svg is kept as text, never as an image", "x.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"></svg>`), upload.Text},
		{"docx", "a.docx", office("word"), upload.DOCX},
		{"xlsx", "a.xlsx", office("xl"), upload.XLSX},
		{"pptx", "a.pptx", office("ppt"), upload.PPTX},
		{"odt", "a.odt", zipOf(t, [2]string{"mimetype", upload.ODT}, [2]string{"content.xml", "<x/>"}), upload.ODT},
		{"ods", "a.ods", zipOf(t, [2]string{"mimetype", upload.ODS}), upload.ODS},
		{"odp", "a.odp", zipOf(t, [2]string{"mimetype", upload.ODP}), upload.ODP},
		{"doc", "a.doc", oleOf("WordDocument\x00"), upload.DOC},
		{"xls", "a.xls", oleOf("Workbook\x00"), upload.XLS},
		{"ppt", "a.ppt", oleOf("PowerPoint Document\x00"), upload.PPT},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			up, err := upload.Inspect(tc.file, tc.content)
			require.NoError(t, err)
			assert.Equal(t, tc.want, up.ContentType)
			assert.Equal(t, tc.file, up.Name)
			assert.Equal(t, tc.content, up.Content)
			sum := sha256.Sum256(tc.content)
			assert.Equal(t, hex.EncodeToString(sum[:]), up.SHA256)
			assert.True(t, domain.AttachmentTypeAllowed(up.ContentType), "the domain keeps what the edge accepts")
			if upload.IsImage(tc.want) {
				require.NotEmpty(t, up.Thumbnail)
				assert.Equal(t, upload.Hash(up.Thumbnail), up.ThumbSHA256)
				_, format, err := image.DecodeConfig(bytes.NewReader(up.Thumbnail))
				require.NoError(t, err)
				assert.Equal(t, "jpeg", format)
			} else {
				assert.Empty(t, up.Thumbnail)
				assert.Empty(t, up.ThumbSHA256)
			}
		})
	}
}

func TestInspectRefusesWhatIsNotAnAllowedType(t *testing.T) {
	textThenBinary := append([]byte(strings.Repeat("a", 600)), 0xFF, 0xFE)
	textThenNUL := append([]byte(strings.Repeat("a", 600)), 0)
	png := pngOf(t, 50, 50)
	cases := []struct {
		name    string
		file    string
		content []byte
		code    string
	}{
		{"an HTML page named like a photo", "photo.jpg", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), domain.CodeType},
		{"xml", "a.txt", []byte(`<?xml version="1.0"?><a/>`), domain.CodeType},
		{"an executable", "setup.exe", append([]byte("MZ\x90\x00"), make([]byte, 100)...), domain.CodeType},
		{"an ELF binary", "a.txt", append([]byte("\x7fELF\x02\x01\x01"), make([]byte, 100)...), domain.CodeType},
		{"text with bytes that are not UTF-8 past the sniffed start", "a.txt", textThenBinary, domain.CodeType},
		{"text with a NUL byte past the sniffed start", "a.txt", textThenNUL, domain.CodeType},
		{"UTF-16 text", "a.txt", []byte("\xFF\xFEh\x00i\x00"), domain.CodeType},
		{"a plain zip", "a.docx", zipOf(t, [2]string{"readme.txt", "hello"}), domain.CodeType},
		{"an OOXML package of no office application", "a.docx", zipOf(t, [2]string{"[Content_Types].xml", "<Types/>"}), domain.CodeType},
		{"an epub", "a.odt", zipOf(t, [2]string{"mimetype", "application/epub+zip"}), domain.CodeType},
		{"an OLE2 file of no office stream (an installer)", "a.doc", oleOf("SummaryInformation\x00"), domain.CodeType},
		{"a truncated PNG", "a.png", png[:len(png)/2], domain.CodeType},
		{"a PNG that declares 100000×100000 pixels", "bomb.png", hugePNG(t, 100000, 100000), upload.CodeTooManyPixels},
		{"an empty file", "a.txt", nil, domain.CodeEmpty},
		{"a name with a slash", "../a.png", png, domain.CodeInvalid},
		{"a name with a backslash", `..\a.png`, png, domain.CodeInvalid},
		{"a name of 300 characters", strings.Repeat("я", 296) + ".png", png, domain.CodeTooLong},
		{"a name with a control character", "a\x07.png", png, domain.CodeInvalidText},
		{"no name", "", png, domain.CodeRequired},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := upload.Inspect(tc.file, tc.content)
			require.Error(t, err)
			errs, ok := domain.AsValidation(err)
			require.True(t, ok, "a validation error, not %v", err)
			assert.Equal(t, tc.code, errs.Field(upload.Field))
		})
	}
}

func TestThumbnailsFitTheLongSideAndAreNeverEnlarged(t *testing.T) {
	cases := []struct {
		name         string
		content      []byte
		wantW, wantH int
	}{
		{"wide", pngOf(t, 1000, 500), 320, 160},
		{"tall", jpegOf(t, 300, 900), 106, 320},
		{"small", pngOf(t, 40, 30), 40, 30},
		{"a phone photo turned by EXIF (6: 90° clockwise)", withOrientation(jpegOf(t, 640, 320), 6), 160, 320},
		{"EXIF orientation 3 (180°) keeps the shape", withOrientation(jpegOf(t, 640, 320), 3), 320, 160},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			up, err := upload.Inspect("a", tc.content)
			require.NoError(t, err)
			cfg, err := jpeg.DecodeConfig(bytes.NewReader(up.Thumbnail))
			require.NoError(t, err)
			assert.Equal(t, [2]int{tc.wantW, tc.wantH}, [2]int{cfg.Width, cfg.Height})
		})
	}
}

func TestATransparentImageGetsAWhiteBackground(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, image.NewNRGBA(image.Rect(0, 0, 8, 8)))) // all transparent
	up, err := upload.Inspect("clear.png", b.Bytes())
	require.NoError(t, err)
	thumb, err := jpeg.Decode(bytes.NewReader(up.Thumbnail))
	require.NoError(t, err)
	r, g, bl, _ := thumb.At(4, 4).RGBA()
	assert.Greater(t, min(r, g, bl), uint32(0xF000), "white, not black")
}

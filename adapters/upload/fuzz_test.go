package upload_test

import (
	"bytes"
	"errors"
	"image/jpeg"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"crm/adapters/upload"
	"crm/domain"
)

// FuzzInspect feeds Inspect arbitrary bytes: it must never panic, must
// answer either a file of an allowed type with its true hash and a
// thumbnail that fits, or a validation error on "files".
func FuzzInspect(f *testing.F) {
	for _, seed := range [][]byte{
		pngOf(f, 30, 20), jpegOf(f, 20, 30), gifOf(f, 5, 5),
		withOrientation(jpegOf(f, 20, 10), 8),
		testdata(f, "gopher-doc.1bpp.lossless.webp"),
		hugePNG(f, 100000, 100000),
		[]byte("%PDF-1.7\n"), []byte("plain text\n"), []byte("<html>"),
		zipOf(f, [2]string{"mimetype", upload.ODT}),
		zipOf(f, [2]string{"[Content_Types].xml", "<Types/>"}, [2]string{"word/document.xml", ""}),
		oleOf("Workbook\x00"),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, content []byte) {
		up, err := upload.Inspect("file", content)
		if err != nil {
			var ve domain.ValidationError
			require.True(t, errors.As(err, &ve), "a validation error, not %v", err)
			require.Equal(t, upload.Field, ve.Field)
			return
		}
		require.True(t, slices.Contains(upload.Types(), up.ContentType), up.ContentType)
		require.Equal(t, upload.Hash(content), up.SHA256)
		require.Equal(t, content, up.Content)
		if !upload.IsImage(up.ContentType) {
			require.Empty(t, up.Thumbnail)
			return
		}
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(up.Thumbnail))
		require.NoError(t, err)
		require.LessOrEqual(t, max(cfg.Width, cfg.Height), upload.ThumbnailSide)
		require.Equal(t, upload.Hash(up.Thumbnail), up.ThumbSHA256)
	})
}

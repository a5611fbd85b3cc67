package browser

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// thumbState is what the browser made of the first thumbnail of a page.
type thumbState struct {
	Loaded bool   `json:"loaded"`
	Width  int    `json:"width"`
	Src    string `json:"src"`
}

// writePhoto writes a 640×480 PNG named name in a temporary folder and
// returns its path.
func writePhoto(t *testing.T, name string) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 640, 480))
	for y := 0; y < 480; y++ {
		for x := 0; x < 640; x++ {
			img.Set(x, y, color.RGBA{R: uint8(x / 3), G: uint8(y / 2), B: 160, A: 255})
		}
	}
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, img))
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, b.Bytes(), 0o600))
	return path
}

func TestAPersonAttachesAPhotoSeesItsThumbnailAndOpensIt(t *testing.T) {
	a := startApp(t)
	tb := openTab(t, a, "owner").desktop()
	tb.register("olga_with_a_photo", "a-photo-says-it-all")

	photo := writePhoto(t, "cracked screen.png")

	tb.open("/tickets/new")
	tb.fill("Title", "Cracked watch screen")
	tb.choose("Type", "Repair")
	tb.fill("Description", "It fell on tiles; the photo shows the crack.")
	field := fieldByLabel("Files")
	tb.requireFound(field, "a file field labelled Files")
	tb.do(chromedp.SetUploadFiles(chromedp.JSPath(field), []string{photo}))

	// Before sending, the page lists the chosen file with a preview drawn
	// from the local file (static/files.js).
	require.Eventually(t, func() bool {
		return runJS[thumbState](tb, `(() => { const i = document.querySelector('.file-preview img');
			return i ? {loaded: i.complete && i.naturalWidth > 0, width: i.naturalWidth, src: i.getAttribute('src')} : {}; })()`).Loaded
	}, stepTimeout, stepTimeout/50, "the preview of the chosen photo shows")
	require.Contains(t, tb.text(".file-preview li"), "cracked screen.png")
	require.True(t, runJS[bool](tb, `document.querySelector('.file-preview img').getAttribute('src').startsWith('blob:')`),
		"the preview is the local file, not an upload")

	require.EqualValues(t, http.StatusOK, tb.press("Submit ticket"))
	require.Regexp(t, `^/tickets/\d+$`, tb.path())
	require.Equal(t, "cracked screen.png", tb.text(".files .file-name"))

	// The page shows the small picture the server made, not the photo.
	require.Eventually(t, func() bool {
		return runJS[thumbState](tb, `(() => { const i = document.querySelector('.files .thumb img');
			return i ? {loaded: i.complete && i.naturalWidth > 0, width: i.naturalWidth, src: i.getAttribute('src')} : {}; })()`).Loaded
	}, stepTimeout, stepTimeout/50, "the thumbnail loads")
	thumb := runJS[thumbState](tb, `(() => { const i = document.querySelector('.files .thumb img');
		return {loaded: true, width: i.naturalWidth, src: i.getAttribute('src')}; })()`)
	require.Regexp(t, `^/attachments/\d+/thumbnail$`, thumb.Src)
	require.Equal(t, 320, thumb.Width, "the thumbnail is 320 px wide")
	tb.screenshot("ticket-with-photo")

	// A click on it opens the full photo.
	require.EqualValues(t, http.StatusOK, tb.clickAndLoad(`document.querySelector('.files a.thumb')`, "the thumbnail's link"))
	require.Regexp(t, regexp.MustCompile(`^/attachments/\d+/cracked%20screen\.png$`), tb.path())
	require.Equal(t, "image/png", runJS[string](tb, "document.contentType"))
	require.Equal(t, 640, runJS[int](tb, "document.images.length === 1 ? document.images[0].naturalWidth : 0"),
		"the photo itself, at its size")
}

func TestAFileDroppedOnTheFieldIsChosenAndListed(t *testing.T) {
	a := startApp(t)
	tb := openTab(t, a, "owner").desktop()
	tb.register("dora_drops_files", "drop-it-like-a-file")
	tb.open("/tickets/new")

	// A drop as the browser makes it, with a file from the desktop.
	chosen := runJS[int](tb, `(() => {
		const dt = new DataTransfer();
		dt.items.add(new File(["the receipt"], "receipt.txt", {type: "text/plain"}));
		const input = document.querySelector('input[type=file][name=files]');
		input.closest('.field').dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
		return input.files.length; })()`)
	require.Equal(t, 1, chosen, "the dropped file is the field's")
	require.Contains(t, tb.text(".file-preview li"), "receipt.txt")

	tb.fill("Title", "Receipt for the repair")
	tb.choose("Type", "Repair")
	tb.fill("Description", "The receipt is attached.")
	require.EqualValues(t, http.StatusOK, tb.press("Submit ticket"))
	require.Regexp(t, `^/tickets/\d+$`, tb.path())
	require.Equal(t, "receipt.txt", tb.text(".files .file-name"))
}

package e2e

import (
	"bytes"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// file is one file to upload.
type file struct {
	name    string
	content []byte
}

// multipartBody builds a form as a browser sends it: the fields first, in
// order, then the files in "files".
func multipartBody(t *testing.T, fields url.Values, files ...file) (body []byte, contentType string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, k := range []string{"title", "type", "text", "internal", "ticket"} {
		for _, v := range fields[k] {
			require.NoError(t, mw.WriteField(k, v))
		}
	}
	for _, f := range files {
		h := textproto.MIMEHeader{}
		// The name as a browser writes it, quotes escaped and nothing cut.
		h.Set("Content-Disposition", `form-data; name="files"; filename="`+strings.ReplaceAll(f.name, `"`, `\"`)+`"`)
		h.Set("Content-Type", "application/octet-stream")
		w, err := mw.CreatePart(h)
		require.NoError(t, err)
		_, err = w.Write(f.content)
		require.NoError(t, err)
	}
	require.NoError(t, mw.Close())
	return b.Bytes(), mw.FormDataContentType()
}

// postFiles submits a multipart form from the application's own pages.
func (b *browser) postFiles(path string, fields url.Values, files ...file) response {
	b.t.Helper()
	body, ct := multipartBody(b.t, fields, files...)
	req, err := http.NewRequest(http.MethodPost, b.app.base+path, bytes.NewReader(body))
	require.NoError(b.t, err)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Origin", b.app.base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

// apiFiles posts files to the API with a bearer token.
func (a *app) apiFiles(token, path string, fields url.Values, files ...file) (response, map[string]any) {
	a.t.Helper()
	body, ct := multipartBody(a.t, fields, files...)
	req, err := http.NewRequest(http.MethodPost, a.base+path, bytes.NewReader(body))
	require.NoError(a.t, err)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Authorization", "Bearer "+token)
	res := (&browser{t: a.t, app: a, client: &http.Client{}}).do(req)
	doc := map[string]any{}
	_ = json.Unmarshal([]byte(res.body), &doc)
	return res, doc
}

// getWithToken fetches path with a bearer token and no session.
func (a *app) getWithToken(token, path string) response {
	a.t.Helper()
	req, err := http.NewRequest(http.MethodGet, a.base+path, nil)
	require.NoError(a.t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	return (&browser{t: a.t, app: a, client: &http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}).do(req)
}

func photo(t *testing.T, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{R: uint8(x), G: uint8(y), B: 90, A: 255})
		}
	}
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, img))
	return b.Bytes()
}

func hash(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// fileLink finds the id of the file named name in a ticket page.
func fileLink(t *testing.T, page, name string) int64 {
	t.Helper()
	re := regexp.MustCompile(`href="/attachments/(\d+)/` + regexp.QuoteMeta(url.PathEscape(name)) + `"`)
	m := re.FindStringSubmatch(page)
	require.NotNil(t, m, "the page links %s", name)
	var id int64
	_, err := fmt.Sscan(m[1], &id)
	require.NoError(t, err)
	return id
}

func blobCount(t *testing.T, db *sql.DB, sha string) int {
	t.Helper()
	require.Regexp(t, `^[0-9a-f]{64}$`, sha)
	var n int
	require.NoError(t, db.QueryRow("SELECT COUNT(*) FROM file_blobs WHERE sha256 = '"+sha+"'").Scan(&n))
	return n
}

func TestFilesOnTicketsAndCommentsAreServedOnlyToThoseWhoMaySeeThem(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		a := startApp(t, dbURL)
		owner, stranger := a.browser(), a.browser()
		owner.mustSignUp("file_owner", "correct-horse")
		stranger.mustSignUp("file_stranger", "correct-horse")
		staff := a.staffBrowser("file_staff", "staff")
		img := photo(t, 640, 480)
		note := []byte("Серийный номер: 12345\n")

		r := owner.postFiles("/tickets", url.Values{"title": {"Cracked screen"}, "text": {"See the photo."}, "type": {"repair"}},
			file{"photo.png", img}, file{"заметка.txt", note})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)
		id := strings.TrimPrefix(r.location, "/tickets/")
		page := owner.get(r.location)
		require.Equal(t, http.StatusOK, page.status)
		photoID, noteID := fileLink(t, page.body, "photo.png"), fileLink(t, page.body, "заметка.txt")
		assert.Contains(t, page.body, fmt.Sprintf(`<img src="/attachments/%d/thumbnail"`, photoID), "the photo shows as a thumbnail")
		photoURL, noteURL := fmt.Sprintf("/attachments/%d/photo.png", photoID), fmt.Sprintf("/attachments/%d/%s", noteID, url.PathEscape("заметка.txt"))

		got := owner.get(photoURL)
		require.Equal(t, http.StatusOK, got.status)
		assert.Equal(t, img, []byte(got.body))
		assert.Equal(t, "image/png", got.header.Get("Content-Type"))
		assert.Equal(t, `inline; filename=photo.png`, got.header.Get("Content-Disposition"))
		assert.Equal(t, "nosniff", got.header.Get("X-Content-Type-Options"))
		assert.Equal(t, "sandbox", got.header.Get("Content-Security-Policy"))
		assert.Equal(t, `"`+hash(img)+`"`, got.header.Get("ETag"))
		assert.True(t, strings.HasPrefix(got.header.Get("Cache-Control"), "private"), got.header.Get("Cache-Control"))

		req, err := http.NewRequest(http.MethodGet, a.base+photoURL, nil)
		require.NoError(t, err)
		req.Header.Set("If-None-Match", got.header.Get("ETag"))
		cached := owner.do(req)
		assert.Equal(t, http.StatusNotModified, cached.status)
		assert.Empty(t, cached.body)

		thumb := owner.get(fmt.Sprintf("/attachments/%d/thumbnail", photoID))
		require.Equal(t, http.StatusOK, thumb.status)
		assert.Equal(t, "image/jpeg", thumb.header.Get("Content-Type"))
		cfg, err := jpeg.DecodeConfig(strings.NewReader(thumb.body))
		require.NoError(t, err)
		assert.Equal(t, [2]int{320, 240}, [2]int{cfg.Width, cfg.Height})

		text := owner.get(noteURL)
		require.Equal(t, http.StatusOK, text.status)
		assert.Equal(t, note, []byte(text.body))
		assert.Equal(t, "text/plain; charset=utf-8", text.header.Get("Content-Type"))
		assert.Equal(t, "attachment; filename*=utf-8''%D0%B7%D0%B0%D0%BC%D0%B5%D1%82%D0%BA%D0%B0.txt",
			text.header.Get("Content-Disposition"), "not an image: downloaded, with its name in UTF-8 (RFC 6266)")

		for _, path := range []string{photoURL, noteURL, fmt.Sprintf("/attachments/%d/thumbnail", photoID)} {
			assert.Equal(t, http.StatusNotFound, stranger.get(path).status, "a stranger gets 404 for %s", path)
			assert.Equal(t, http.StatusOK, staff.get(path).status, "staff see %s", path)
		}
		anon := a.browser().get(photoURL)
		assert.Equal(t, http.StatusSeeOther, anon.status)
		assert.True(t, strings.HasPrefix(anon.location, "/login"), anon.location)
		assert.Equal(t, http.StatusNotFound, owner.get("/attachments/999999/x.png").status)

		// An internal note's file is staff's only.
		secret := []byte("%PDF-1.4\n%internal\n")
		r = staff.postFiles("/tickets/"+id+"/comments", url.Values{"text": {"Supplier invoice"}, "internal": {"true"}},
			file{"invoice.pdf", secret})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)
		staffPage := staff.get("/admin/tickets/" + id)
		secretID := fileLink(t, staffPage.body, "invoice.pdf")
		assert.Equal(t, http.StatusOK, staff.get(fmt.Sprintf("/attachments/%d/invoice.pdf", secretID)).status)
		assert.NotContains(t, owner.get("/tickets/"+id).body, "invoice.pdf")
		assert.Equal(t, http.StatusNotFound, owner.get(fmt.Sprintf("/attachments/%d/invoice.pdf", secretID)).status)

		// A comment may be files alone.
		r = owner.postFiles("/tickets/"+id+"/comments", nil, file{"back.png", photo(t, 20, 20)})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)
		backID := fileLink(t, staff.get("/admin/tickets/"+id).body, "back.png")

		// Staff delete a file: it is gone, and so are its bytes, which no
		// other file shares.
		db := openDB(t, dbURL)
		backSHA := hash(photo(t, 20, 20))
		require.Equal(t, 1, blobCount(t, db, backSHA))
		r = owner.post(fmt.Sprintf("/admin/attachments/%d/delete", backID), url.Values{"ticket": {id}})
		assert.Equal(t, http.StatusForbidden, r.status, "only staff delete")
		r = staff.post(fmt.Sprintf("/admin/attachments/%d/delete", backID), url.Values{"ticket": {id}})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)
		assert.Equal(t, "/admin/tickets/"+id, r.location)
		assert.Equal(t, http.StatusNotFound, staff.get(fmt.Sprintf("/attachments/%d/back.png", backID)).status)
		assert.Contains(t, owner.get("/tickets/"+id).body, "file_staff deleted the file back.png", "the history says so")
		assert.Equal(t, 0, blobCount(t, db, backSHA), "no file refers to the bytes any more")
		assert.Equal(t, 1, blobCount(t, db, hash(img)), "the other files keep theirs")
	})
}

func TestRefusedFilesStoreNothingAndKeepTheText(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		a := startApp(t, dbURL)
		owner := a.browser()
		owner.mustSignUp("refused_owner", "correct-horse")
		id := fmt.Sprint(owner.submit("Printer", "It jams.", "repair"))
		img := photo(t, 10, 10)
		six := make([]file, 6)
		for i := range six {
			six[i] = file{fmt.Sprintf("p%d.png", i), img}
		}
		cases := []struct {
			name   string
			files  []file
			status int
			says   string
		}{
			{"an HTML page named like a photo", []file{{"photo.jpg", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>")}},
				422, "type we do not keep"},
			{"an empty file", []file{{"empty.txt", nil}}, 422, "A file is empty."},
			{"six files", six, 422, "At most 5 files"},
			{"a name with a slash", []file{{"../evil.png", img}}, 422, "slash"},
			{"a name of 300 characters", []file{{strings.Repeat("a", 296) + ".png", img}}, 422, "longer than 255"},
			{"a file of 25 MB", []file{{"huge.png", append(img, make([]byte, 25<<20)...)}}, 413, "larger than 10 MB"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				text := "Typed before the refusal: " + tc.name
				r := owner.postFiles("/tickets/"+id+"/comments", url.Values{"text": {text}}, tc.files...)
				require.Equal(t, tc.status, r.status)
				assert.Contains(t, r.body, tc.says)
				assert.Contains(t, r.body, text, "the text is kept in the form")
				assert.NotContains(t, owner.get("/tickets/"+id).body, "Typed before the refusal", "nothing was stored")
			})
		}
		// A new ticket refused for its file is not filed.
		r := owner.postFiles("/tickets", url.Values{"title": {"With a fake"}, "text": {"x"}, "type": {"repair"}},
			file{"a.jpg", []byte("<html></html>")})
		require.Equal(t, http.StatusUnprocessableEntity, r.status)
		assert.Contains(t, r.body, `value="With a fake"`)
		assert.NotContains(t, owner.get("/tickets").body, "With a fake")
		// A body that announces more than every file at the limit is
		// refused before it is read.
		// An upload cut off halfway (the connection lost) stores nothing:
		// once the server has answered it (400, counted by /metrics), the
		// ticket has no new comment.
		cut, ct := multipartBody(t, url.Values{"text": {"Cut off halfway"}}, file{"big.png", append(img, make([]byte, 2<<20)...)})
		req, err := http.NewRequest(http.MethodPost, a.base+"/tickets/"+id+"/comments",
			io.MultiReader(bytes.NewReader(cut[:len(cut)/2]), failingReader{}))
		require.NoError(t, err)
		req.ContentLength = int64(len(cut))
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Origin", a.base)
		_, err = owner.client.Do(req)
		require.Error(t, err, "the client gave up")
		answered := `http_requests_total{method="POST",route="/tickets/{id}/comments",status="400"} 1`
		require.Eventually(t, func() bool { return strings.Contains(a.metrics(), answered) }, 10*time.Second, 50*time.Millisecond,
			"the server answered the cut-off upload")
		assert.NotContains(t, owner.get("/tickets/"+id).body, "Cut off halfway")

		endless := io.LimitReader(zeros{}, 60<<20)
		req, err = http.NewRequest(http.MethodPost, a.base+"/tickets/"+id+"/comments", endless)
		require.NoError(t, err)
		req.ContentLength = 60 << 20
		req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
		req.Header.Set("Origin", a.base)
		res, err := owner.client.Do(req)
		require.NoError(t, err, "the answer comes before the body is sent")
		assert.Equal(t, http.StatusRequestEntityTooLarge, res.StatusCode)
		require.NoError(t, res.Body.Close())
	})
}

// failingReader fails, as a connection lost in the middle of a body.
type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("connection lost") }

// zeros reads as endless zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestAPIAttachesFilesAndListsThem(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		a := startApp(t, dbURL)
		a.mustCreateUser("apif_owner", "correct-horse", "user")
		a.mustCreateUser("apif_other", "correct-horse", "user")
		a.mustCreateUser("apif_staff", "correct-horse", "staff")
		owner, other, staff := a.mustIssueToken("apif_owner"), a.mustIssueToken("apif_other"), a.mustIssueToken("apif_staff")
		res, doc := a.apiCall(owner, "POST", "/api/v1/tickets", `{"title":"Watch","text":"Cracked","type":"repair"}`)
		require.Equal(t, http.StatusCreated, res.status, res.body)
		id := fmt.Sprint(doc["id"])
		assert.Equal(t, []any{}, doc["attachments"])

		img := photo(t, 30, 30)
		res, doc = a.apiFiles(owner, "/api/v1/tickets/"+id+"/attachments", url.Values{"text": {"The receipt and a photo"}},
			file{"photo.png", img}, file{"receipt.pdf", []byte("%PDF-1.7\n")})
		require.Equal(t, http.StatusCreated, res.status, res.body)
		atts, _ := doc["attachments"].([]any)
		require.Len(t, atts, 2)
		first := atts[0].(map[string]any)
		assert.Equal(t, "photo.png", first["name"])
		assert.Equal(t, "image/png", first["content_type"])
		assert.EqualValues(t, len(img), first["size"])
		assert.NotNil(t, first["comment_id"], "on the new comment")
		fileURL := first["url"].(string)
		assert.Regexp(t, `^/attachments/\d+/photo.png$`, fileURL)

		got := a.getWithToken(owner, fileURL)
		require.Equal(t, http.StatusOK, got.status)
		assert.Equal(t, img, []byte(got.body))
		assert.Equal(t, http.StatusNotFound, a.getWithToken(other, fileURL).status)
		wrong := a.getWithToken("crm_not-a-token", fileURL)
		assert.Equal(t, http.StatusUnauthorized, wrong.status, "a token that does not log in is the API's 401, not the login page")
		assert.Contains(t, wrong.header.Get("WWW-Authenticate"), "Bearer")

		res, _ = a.apiFiles(other, "/api/v1/tickets/"+id+"/attachments", nil, file{"x.png", img})
		assert.Equal(t, http.StatusNotFound, res.status, "another person's ticket")
		res, _ = a.apiFiles(owner, "/api/v1/tickets/"+id+"/attachments", url.Values{"internal": {"true"}}, file{"x.png", img})
		assert.Equal(t, http.StatusForbidden, res.status, "an internal note is staff's")
		res, doc = a.apiFiles(owner, "/api/v1/tickets/"+id+"/attachments", nil, file{"page.jpg", []byte("<html>")})
		assert.Equal(t, http.StatusUnprocessableEntity, res.status)
		assert.Contains(t, res.body, `"code":"type"`)
		res, _ = a.apiFiles(owner, "/api/v1/tickets/"+id+"/attachments", url.Values{"text": {"no file"}})
		assert.Equal(t, http.StatusUnprocessableEntity, res.status)
		res, _ = a.apiCall(owner, "POST", "/api/v1/tickets/"+id+"/attachments", `{"text":"json"}`)
		assert.Equal(t, http.StatusUnsupportedMediaType, res.status)

		res, doc = a.apiFiles(staff, "/api/v1/tickets/"+id+"/attachments", url.Values{"internal": {"true"}},
			file{"internal.txt", []byte("staff only")})
		require.Equal(t, http.StatusCreated, res.status, res.body)
		assert.Len(t, doc["attachments"], 3)
		res, doc = a.apiCall(owner, "GET", "/api/v1/tickets/"+id, "")
		require.Equal(t, http.StatusOK, res.status)
		assert.Len(t, doc["attachments"], 2, "the internal note's file is not the owner's to see")
	})
}

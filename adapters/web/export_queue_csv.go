package web

import (
	"encoding/csv"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"time"

	"crm/application"
	"crm/domain"
)

// queueCSVHeader names the columns of a queue export. The names are
// codes, the same in every language, so scripts can rely on them.
var queueCSVHeader = []string{"number", "title", "type", "status", "owner", "assignee", "created", "updated", "rating"}

// utf8BOM starts every export, so that spreadsheet programs read the file
// as UTF-8 (Cyrillic titles and names) rather than a local code page.
const utf8BOM = "\uFEFF"

// csvPageWriteTime is how long the server waits for the client to take one
// page of an export. The deadline moves on with every page, so a long
// export is not cut by the server's write timeout while a stalled client
// still is.
const csvPageWriteTime = time.Minute

// queueCSVURL is the CSV export of the queue with these filters.
func queueCSVURL(f queueFilter) string {
	if v := f.values(); len(v) > 0 {
		return "/admin/tickets.csv?" + v.Encode()
	}
	return "/admin/tickets.csv"
}

// exportQueueCSV answers GET /admin/tickets.csv: every ticket the queue's
// filters select, as CSV (see streamQueueCSV).
func (h *Handler) exportQueueCSV(w http.ResponseWriter, r *http.Request, v *visitor) error {
	return h.streamQueueCSV(w, r, v.User, queueFilterOf(r.URL.Query()))
}

// streamQueueCSV writes the queue, filtered by f, as CSV: a BOM, a header
// row, one row per ticket, newest first. It reads the queue through the
// ListQueue use case (which decides who may) one keyset page at a time and
// flushes each page before reading the next, so memory stays flat however
// many tickets match, and each ticket appears at most once even while
// tickets are written: pages are keyed by id, and a ticket submitted
// meanwhile has an id above the first page's. The error of the first page
// (ErrForbidden, a filter that does not exist) is returned before anything
// is written; a later one cannot change the status sent, so it is logged
// and the connection is cut, and the client sees a failed download rather
// than a file that silently lacks rows.
func (h *Handler) streamQueueCSV(w http.ResponseWriter, r *http.Request, actor *domain.User, f queueFilter) error {
	ctx := r.Context()
	// Always newest first, keyed by id, whatever order the page was in: a
	// due time can change during the export, an id cannot.
	f.Sort = ""
	list := func(before int64) (application.TicketPage, error) {
		return h.app.ListQueue.Handle(ctx, f.listQueue(actor, application.Page{Before: before, Limit: application.MaxPageSize}))
	}
	page, err := list(0)
	if err != nil {
		return err
	}
	name := "tickets-" + h.clock.Now().UTC().Format("20060102-150405") + ".csv"
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	out := csv.NewWriter(w)
	_, _ = w.Write([]byte(utf8BOM))
	_ = out.Write(queueCSVHeader)
	for {
		for _, t := range page.Tickets {
			_ = out.Write(queueCSVRecord(t))
		}
		out.Flush()
		if err := out.Error(); err != nil {
			panic(http.ErrAbortHandler) // the client has gone
		}
		_ = rc.Flush()
		if page.Next == 0 {
			return nil
		}
		_ = rc.SetWriteDeadline(time.Now().Add(csvPageWriteTime))
		if page, err = list(page.Next); err != nil {
			if ctx.Err() == nil {
				h.log.ErrorContext(ctx, "queue export failed midway",
					slog.String("request_id", requestID(ctx)), slog.Any("error", err))
			}
			panic(http.ErrAbortHandler)
		}
	}
}

// queueCSVRecord is one ticket's row: times in RFC 3339, UTC; type and
// status as codes; an empty assignee and rating when there is none.
func queueCSVRecord(t *domain.Ticket) []string {
	rating := ""
	if t.Rating() > 0 {
		rating = strconv.Itoa(t.Rating())
	}
	return []string{
		strconv.FormatInt(t.ID(), 10),
		csvText(t.Title()),
		t.Type().String(),
		t.Status().String(),
		csvText(t.OwnerName()),
		csvText(t.AssigneeName()),
		t.CreatedAt().UTC().Format(time.RFC3339),
		t.UpdatedAt().UTC().Format(time.RFC3339),
		rating,
	}
}

// csvText neutralises a cell a spreadsheet would run as a formula (one
// that starts with = + - @, or a tab or carriage return before one): it
// gets a leading apostrophe, which spreadsheets show as text. A title is
// typed by anyone who files a ticket, and staff open the export.
func csvText(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

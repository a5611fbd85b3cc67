package web

import (
	"maps"
	"net/http"
	"net/url"
	"strconv"

	"crm/adapters/i18n"
	"crm/application"
	"crm/domain"
)

// deliveryStatuses are the filters of the deliveries page, in the order
// shown; "" is the default: failed and pending, the ones that need
// attention.
var deliveryStatuses = []application.DeliveryStatus{
	application.DeliveryFailed, application.DeliveryPending, application.DeliveryDone,
}

// eventKinds are the event kinds a delivery may be of, each with a name
// "event.<kind>" in the catalogue.
var eventKinds = []string{
	domain.KindTicketSubmitted, domain.KindTicketStatusChanged, domain.KindTicketAssigned,
	domain.KindCommentAdded, domain.KindTelegramLinked, domain.KindUserRoleChanged,
	domain.KindUserActiveChanged,
}

// deliveryRow is one delivery as the table shows it.
type deliveryRow struct {
	application.Delivery
	TicketID int64  // 0: not about a ticket
	KindName string // the event kind in the reader's language
	// HandlerName says where the delivery goes (Telegram, a webhook), in
	// the reader's language.
	HandlerName string
	Retryable   bool // failed or pending: staff may make it due now
	Waiting     bool // pending: NextAttemptAt is when it is tried next
}

// deliveryTab is one status filter above the table.
type deliveryTab struct {
	Status  string // "" for the default
	URL     string
	Current bool
}

type deliveriesPage struct {
	layout
	Off        bool // Telegram is not wired: nothing to list
	Status     string
	Tabs       []deliveryTab
	Form       *form // an error on the status filter, shown above the table
	Deliveries []deliveryRow
	Total      int
	Pager      pager
}

// showDeliveries answers GET /admin/deliveries: the deliveries of events
// to their handlers (Telegram messages), newest first; by default the
// failed and pending ones, else those of ?status=failed|pending|done;
// paged by ?before=<id>. A status that does not exist is shown beside the
// filter (422).
func (h *Handler) showDeliveries(w http.ResponseWriter, r *http.Request, v *visitor) error {
	q := r.URL.Query()
	status := q.Get("status")
	before := queryInt64(r, "before")
	keep := url.Values{}
	if status != "" {
		keep.Set("status", status)
	}
	here := "/admin/deliveries"
	if all := maps.Clone(keep); len(all) > 0 || before > 0 {
		if before > 0 {
			all.Set("before", strconv.FormatInt(before, 10))
		}
		here += "?" + all.Encode()
	}
	p := &deliveriesPage{
		layout: layout{Section: "deliveries", Here: here},
		Status: status,
		Form:   emptyForm(nil),
	}
	for _, st := range append([]string{""}, statusNames(deliveryStatuses)...) {
		u := "/admin/deliveries"
		if st != "" {
			u += "?" + url.Values{"status": {st}}.Encode()
		}
		p.Tabs = append(p.Tabs, deliveryTab{Status: st, URL: u, Current: st == status})
	}
	if h.telegram == nil {
		p.Off = true
		return h.render(w, r, v, http.StatusOK, "deliveries", p)
	}
	page, err := h.telegram.ListDeliveries.Handle(r.Context(), application.ListDeliveries{
		Actor: v.User, Status: status, Page: application.Page{Before: before},
	})
	if p.Form.fail(v.Lang, err) {
		return h.render(w, r, v, problemInvalid.Status, "deliveries", p)
	}
	if err != nil {
		return err
	}
	for _, d := range page.Deliveries {
		p.Deliveries = append(p.Deliveries, newDeliveryRow(v.Lang, d))
	}
	p.Total = page.Total
	p.Pager = newPager("/admin/deliveries", keep, before, page.Next)
	return h.render(w, r, v, http.StatusOK, "deliveries", p)
}

// newDeliveryRow words d for the table in lang.
func newDeliveryRow(lang string, d application.Delivery) deliveryRow {
	row := deliveryRow{
		Delivery:    d,
		KindName:    d.EventKind,
		HandlerName: d.Handler,
		Retryable:   d.Status == application.DeliveryFailed || d.Status == application.DeliveryPending,
		Waiting:     d.Status == application.DeliveryPending && !d.NextAttemptAt.IsZero(),
	}
	if id, ok := d.TicketID(); ok {
		row.TicketID = id
	}
	if i18n.Has(lang, "delivery_handler."+d.Handler) {
		row.HandlerName = i18n.Message(lang, "delivery_handler."+d.Handler)
	}
	if i18n.Has(lang, "event."+d.EventKind) {
		row.KindName = i18n.Message(lang, "event."+d.EventKind)
	}
	return row
}

func statusNames(ss []application.DeliveryStatus) []string {
	names := make([]string, len(ss))
	for i, s := range ss {
		names[i] = string(s)
	}
	return names
}

package web

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"crm/application"
)

// OldestPending tells GET /metrics how far the outbox dispatcher is
// behind. The storage adapters' Outbox serves it.
type OldestPending interface {
	// OldestPendingAt returns when the oldest event that still has a
	// pending delivery was stored, or the zero time when none is pending.
	OldestPendingAt(ctx context.Context) (time.Time, error)
}

// metricsTimeout bounds the database queries of one scrape.
const metricsTimeout = 2 * time.Second

var (
	deliveriesDesc = prometheus.NewDesc("crm_deliveries",
		"Deliveries of events (Telegram messages, webhooks) waiting or given up, by status.",
		[]string{"status"}, nil)
	outboxLagDesc = prometheus.NewDesc("crm_outbox_lag_seconds",
		"How long the oldest event with a pending delivery has waited, in seconds; 0 when none is pending.",
		nil, nil)
)

// deliveriesCollector reads the number of pending and failed deliveries,
// and the outbox lag when oldest is set, at each scrape. When the database
// does not answer in time, they are left out of the scrape (and the cause
// logged) rather than failing it.
type deliveriesCollector struct {
	deliveries application.Deliveries
	oldest     OldestPending // nil: no crm_outbox_lag_seconds
	clock      application.Clock
	log        *slog.Logger
}

// deliveryGaugeStatuses are the statuses crm_deliveries reports: the ones
// that need watching (done ones only ever grow).
var deliveryGaugeStatuses = []application.DeliveryStatus{application.DeliveryPending, application.DeliveryFailed}

func (c *deliveriesCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- deliveriesDesc
	if c.oldest != nil {
		ch <- outboxLagDesc
	}
}

func (c *deliveriesCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), metricsTimeout)
	defer cancel()
	// Counted together: a delivery giving up between two counts would be
	// both pending and failed in one scrape.
	counts, err := c.deliveries.CountDeliveries(ctx, deliveryGaugeStatuses...)
	if err != nil {
		c.log.WarnContext(ctx, "metrics: count deliveries", slog.Any("error", err))
		return
	}
	for _, s := range deliveryGaugeStatuses {
		ch <- prometheus.MustNewConstMetric(deliveriesDesc, prometheus.GaugeValue, float64(counts[s]), string(s))
	}
	if c.oldest == nil {
		return
	}
	at, err := c.oldest.OldestPendingAt(ctx)
	if err != nil {
		c.log.WarnContext(ctx, "metrics: oldest pending delivery", slog.Any("error", err))
		return
	}
	lag := 0.0
	if !at.IsZero() {
		lag = max(c.clock.Now().Sub(at).Seconds(), 0)
	}
	ch <- prometheus.MustNewConstMetric(outboxLagDesc, prometheus.GaugeValue, lag)
}

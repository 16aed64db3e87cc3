package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus metrics, on a registry of its own
// (no global state: two servers in one process, as in tests, do not
// collide).
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	jobs     *prometheus.CounterVec
	running  prometheus.Gauge
	posts    *prometheus.CounterVec
	uploaded prometheus.Counter
	logins   *prometheus.CounterVec
	alerts   prometheus.Counter
}

func newMetrics() *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "chorus_http_requests_total", Help: "HTTP requests by route pattern, method and status code.",
	}, []string{"route", "method", "code"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "chorus_http_request_duration_seconds", Help: "HTTP request latency by route pattern and status code.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	}, []string{"route", "code"})
	m.jobs = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "chorus_jobs_total", Help: "Background jobs finished, by kind and final state.",
	}, []string{"kind", "state"})
	m.running = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "chorus_jobs_running", Help: "Background jobs queued or running.",
	})
	m.posts = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "chorus_ingested_posts_total", Help: "Posts read, by source (upload, analysis, live).",
	}, []string{"source"})
	m.uploaded = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "chorus_uploaded_bytes_total", Help: "Bytes received in uploads.",
	})
	m.logins = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "chorus_logins_total", Help: "Login attempts by result (ok, failed, rate_limited).",
	}, []string{"result"})
	m.alerts = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "chorus_alerts_total", Help: "Alerts raised by live ingesters.",
	})
	m.reg.MustRegister(m.requests, m.latency, m.jobs, m.running, m.posts, m.uploaded, m.logins, m.alerts,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// observe records one request.
func (m *metrics) observe(route, method string, code int, el time.Duration) {
	c := strconv.Itoa(code)
	m.requests.WithLabelValues(route, method, c).Inc()
	m.latency.WithLabelValues(route, c).Observe(el.Seconds())
}

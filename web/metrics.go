package web

import (
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/corpus-dev/corpus/index"
)

// metrics are what GET /metrics serves, in Prometheus' text format: the
// requests and their latencies by route, the search slots, what was shed,
// the connections, the caches' bytes, and the Go runtime and process.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec // the whole request, writing included
	search   *prometheus.HistogramVec // the time in a search slot
	handler  http.Handler
}

// cacheReporter is what a Searcher may also do: report its caches.
type cacheReporter interface {
	Caches() []index.CacheStats
}

func newMetrics(s *server, l *limiter, conns *ConnLimiter) *metrics {
	reg := prometheus.NewRegistry()
	m := &metrics{
		reg: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "corpus_http_requests_total", Help: "Requests answered, by route and status.",
		}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "corpus_http_request_duration_seconds", Help: "Time from request to the last byte handed to the connection, by route: waiting for a slot, searching and writing to the client (a slow reader's download is in it).",
			Buckets: latencyBuckets,
		}, []string{"route"}),
		search: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "corpus_http_search_duration_seconds", Help: "Time a request held a search slot, by route: searching and rendering its answer, not waiting for a slot nor writing to the client (an export makes its rows in turns, added up). Health checks, metrics and files take no slot and are not in it.",
			Buckets: latencyBuckets,
		}, []string{"route"}),
	}
	reg.MustRegister(m.requests, m.latency, m.search,
		// The live heap at the last collection, beside the memstats: what
		// a leak makes grow, without the garbage RSS and heap-in-use hold.
		collectors.NewGoCollector(collectors.WithGoCollectorRuntimeMetrics(
			collectors.GoRuntimeMetricsRule{Matcher: regexp.MustCompile(`^/gc/heap/live:bytes$`)})),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "corpus_search_slots", Help: "Requests served at once at most."},
			func() float64 { return float64(l.slots) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "corpus_search_slots_in_use", Help: "Requests being served now (writing an answer holds no slot)."},
			func() float64 { return float64(l.inUse()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "corpus_search_waiting", Help: "Requests waiting for a slot."},
			func() float64 { return float64(l.waiting()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "corpus_shed_total", Help: "Requests answered 503 because every slot was taken."},
			func() float64 { return float64(l.shed.Load()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "corpus_index_passages", Help: "Passages of the generation served."},
			func() float64 { return float64(s.searcher.Stats().Passages) }),
		cacheCollector{s.searcher},
	)
	if conns != nil {
		reg.MustRegister(
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "corpus_connections_open", Help: "Client connections open."},
				func() float64 { return float64(conns.Stats().Open) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "corpus_connections_max", Help: "Client connections held at most."},
				func() float64 { return float64(conns.Max()) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "corpus_connections_idle_shed_total", Help: "Idle keep-alive connections closed to make room for new ones."},
				func() float64 { return float64(conns.Stats().IdleShed) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "corpus_connections_refused_total", Help: "Connections refused at the cap."},
				func() float64 { return float64(conns.Stats().Refused) }),
		)
	}
	m.handler = promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
	return m
}

var (
	cacheBytesDesc = prometheus.NewDesc("corpus_cache_bytes", "Bytes a cache of the generation served holds (estimated).", []string{"cache"}, nil)
	cacheMaxDesc   = prometheus.NewDesc("corpus_cache_max_bytes", "A cache's budget in bytes.", []string{"cache"}, nil)
)

// cacheCollector reports the caches of the generation served now.
type cacheCollector struct{ s Searcher }

func (c cacheCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- cacheBytesDesc
	ch <- cacheMaxDesc
}

func (c cacheCollector) Collect(ch chan<- prometheus.Metric) {
	cr, ok := c.s.(cacheReporter)
	if !ok {
		return
	}
	for _, cs := range cr.Caches() {
		ch <- prometheus.MustNewConstMetric(cacheBytesDesc, prometheus.GaugeValue, float64(cs.Bytes), cs.Name)
		ch <- prometheus.MustNewConstMetric(cacheMaxDesc, prometheus.GaugeValue, float64(cs.Max), cs.Name)
	}
}

// latencyBuckets are the bounds of the latency histograms, in seconds.
var latencyBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60}

// routeOf is the route label of c.
func routeOf(c echo.Context) string {
	if r := c.Path(); r != "" {
		return r
	}
	return "other"
}

// observeSearch records how long a request held search slots.
func (m *metrics) observeSearch(c echo.Context, held time.Duration) {
	m.search.WithLabelValues(routeOf(c)).Observe(held.Seconds())
}

// observe records one answered request.
func (m *metrics) observe(c echo.Context, status int, took time.Duration) {
	route := routeOf(c)
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route).Observe(took.Seconds())
}

// serveMetrics answers GET /metrics.
func (s *server) serveMetrics(c echo.Context) error {
	s.metrics.handler.ServeHTTP(c.Response(), c.Request())
	return nil
}

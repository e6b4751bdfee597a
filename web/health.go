package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// readyAfterShed is how long after shedding a request the server still
// says it is not ready: a load balancer polling every few seconds should
// see a server that sheds as busy, not only in the instant it sheds.
const readyAfterShed = time.Second

// health answers GET /healthz (and /livez): the process serves, with the
// index served and how loaded the server is. It is 200 as long as the
// server answers at all: a liveness probe that failed under load would get
// a busy server restarted. Readiness is in the body and at /readyz.
func (s *server) health(c echo.Context) error {
	return c.JSON(http.StatusOK, s.healthNow())
}

// ready answers GET /readyz: 200 when the server takes more work, 503 when
// every search slot is taken and requests wait or were shed in the last
// second (a readiness probe then sends traffic elsewhere for a while).
func (s *server) ready(c echo.Context) error {
	h := s.healthNow()
	code := http.StatusOK
	if !h.Ready {
		code = http.StatusServiceUnavailable
		c.Response().Header().Set(echo.HeaderRetryAfter, retryAfter)
	}
	return c.JSON(code, h)
}

func (s *server) healthNow() apiHealth {
	st := s.searcher.Stats()
	h := apiHealth{
		Status:     "ok",
		Ready:      true,
		Version:    s.version,
		Generation: st.Generation,
		Documents:  st.Documents,
		Passages:   st.Passages,
		Slots:      s.limit.slots,
		SlotsInUse: s.limit.inUse(),
		Waiting:    s.limit.waiting(),
		Shed:       s.limit.shed.Load(),
		Caches:     []apiCache{},
	}
	if st.Generation == "" {
		h.Status, h.Ready = "no index", false
	} else if s.limit.saturated() || time.Since(time.Unix(0, s.limit.lastShed.Load())) < readyAfterShed {
		h.Status, h.Ready = "busy", false
	}
	if cr, ok := s.searcher.(cacheReporter); ok {
		for _, cs := range cr.Caches() {
			h.Caches = append(h.Caches, apiCache{Name: cs.Name, Bytes: cs.Bytes, Max: cs.Max})
		}
	}
	if s.conns != nil {
		cs := s.conns.Stats()
		h.Connections = &apiConns{Open: cs.Open, Idle: cs.Idle, Max: cs.Max, IdleShed: cs.IdleShed, Refused: cs.Refused}
	}
	return h
}

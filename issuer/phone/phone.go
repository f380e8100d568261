// Package phone is the recovery service's page for a phone's camera: the
// recorder's QR code is this page's URL, the page says which recorder and
// which masked address the code goes to, and one button (a plain form
// POST, no script) sends it. It never shows the code.
//
// The payload is the URL's last segment; the path before it is matched in
// any case (the QR code holds the URL in upper case). Every response has
// the same security headers (a CSP without inline anything, nosniff,
// no-referrer — the URL is a capability to have a code mailed — no-store),
// a POST from another origin is refused (http.CrossOriginProtection), and
// bodies, headers and times are bounded. Italian or English by
// Accept-Language.
package phone

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"nvrmenu/issuer/service"
)

// Service is what the page asks of the engine.
type Service interface {
	Admit(client netip.Addr, trusted bool) error
	Preview(text string) (service.Preview, error)
	Send(ctx context.Context, texts []string, via string) (service.Sent, error)
	Healthy(ctx context.Context) error
}

// Options configure the page.
type Options struct {
	Service Service
	// Path is the path before the payload ("/r/"), matched in any case.
	Path string
	// ClientHeader names a proxy's header with the client's address (its
	// last value); "" uses the connection's.
	ClientHeader string
	// HSTS sends Strict-Transport-Security (a real certificate; never
	// with a self-signed one, whose warning could no longer be passed).
	HSTS   bool
	Logger *slog.Logger
}

//go:embed templates.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

var pages = template.Must(template.New("").ParseFS(templateFS, "templates.html"))

// Handler serves the page.
type Handler struct {
	o   Options
	mux http.Handler
}

// New makes the page's handler.
func New(o Options) *Handler {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	h := &Handler{o: o}
	mux := http.NewServeMux()
	mux.Handle("GET /static/", http.FileServerFS(staticFS))
	mux.HandleFunc("GET /healthz", h.health)
	mux.HandleFunc("/", h.route)
	h.mux = http.NewCrossOriginProtection().Handler(mux)
	return h
}

// ServeHTTP sets the headers every response carries, then routes.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("Cache-Control", "no-store")
	if h.o.HSTS {
		hd.Set("Strict-Transport-Security", "max-age=31536000")
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	h.mux.ServeHTTP(w, r)
}

func (h *Handler) health(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := h.o.Service.Healthy(ctx); err != nil {
		http.Error(w, "unhealthy", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "ok")
}

// view is a page's data.
type view struct {
	lang           int
	Lang           string
	Kind           string
	Serial, Masked string
	Made           string
	Action         string
	Message        string
	Retry          string
	Again, MakeNew bool
}

// W is a text in the page's language.
func (v *view) W(key string) string { return words[key][v.lang] }

func (h *Handler) render(w http.ResponseWriter, status int, v *view) {
	v.Lang = [2]string{"it", "en"}[v.lang]
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := pages.ExecuteTemplate(w, "page", v); err != nil {
		h.o.Logger.Warn("rendering the page", "err", err)
	}
}

// client is the request's client address.
func (h *Handler) client(r *http.Request) netip.Addr {
	if h.o.ClientHeader != "" {
		if vals := r.Header.Values(h.o.ClientHeader); len(vals) > 0 {
			parts := strings.Split(vals[len(vals)-1], ",")
			if a, err := netip.ParseAddr(strings.TrimSpace(parts[len(parts)-1])); err == nil {
				return a
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, _ := netip.ParseAddr(host)
	return a
}

func (h *Handler) route(w http.ResponseWriter, r *http.Request) {
	v := &view{lang: lang(r)}
	path := r.URL.Path
	if path == "/" && r.Method == http.MethodGet {
		v.Kind = "home"
		h.render(w, http.StatusOK, v)
		return
	}
	prefix := h.o.Path
	if len(path) <= len(prefix) || !strings.EqualFold(path[:len(prefix)], prefix) || strings.Contains(path[len(prefix):], "/") {
		v.Kind = "not-found"
		h.render(w, http.StatusNotFound, v)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	// Any https address with the payload as its last segment opens.
	text := "https://phone/" + path[len(prefix):]
	if err := h.o.Service.Admit(h.client(r), false); err != nil {
		h.refuse(w, v, err)
		return
	}
	if r.Method == http.MethodGet {
		p, err := h.o.Service.Preview(text)
		if err != nil {
			h.refuse(w, v, err)
			return
		}
		v.Kind, v.Serial, v.Masked = "preview", p.Serial, p.Masked
		v.Made = p.Created.UTC().Format("2006-01-02 15:04 UTC")
		v.Action = path
		h.render(w, http.StatusOK, v)
		return
	}
	sent, err := h.o.Service.Send(r.Context(), []string{text}, "phone")
	if err != nil {
		h.refuse(w, v, err)
		return
	}
	v.Kind = "sent"
	v.Message = fmt.Sprintf(v.W("sent-to"), sent.Masked, sent.Serial)
	v.Again = sent.Times > 1
	h.render(w, http.StatusOK, v)
}

// refuse shows a refusal in the page's words, with the status it means.
func (h *Handler) refuse(w http.ResponseWriter, v *view, err error) {
	v.Kind = "refused"
	var r *service.Refusal
	if !errors.As(err, &r) {
		h.o.Logger.Error("phone page", "err", err)
		v.Message = v.W("unavailable")
		h.render(w, http.StatusInternalServerError, v)
		return
	}
	v.Message = v.W(refusalWords[r.Kind])
	if r.Retry > 0 {
		v.Retry = fmt.Sprintf(v.W("again"), r.Retry.Round(time.Minute).String())
		if r.Retry < time.Minute {
			v.Retry = fmt.Sprintf(v.W("again"), r.Retry.Round(time.Second).String())
		}
		w.Header().Set("Retry-After", fmt.Sprint(int(r.Retry.Seconds())+1))
	}
	status := http.StatusUnprocessableEntity
	switch r.Kind {
	case service.KindTooOld, service.KindTampered, service.KindOtherKey:
		v.MakeNew = r.Kind == service.KindTooOld
	case service.KindNoPayload, service.KindMalformed:
		status = http.StatusNotFound
	case service.KindLimit, service.KindBusy:
		status = http.StatusTooManyRequests
	case service.KindUnavailable:
		status = http.StatusServiceUnavailable
	}
	h.render(w, status, v)
}

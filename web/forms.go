package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"

	"nvrmenu/recovery"
	"nvrmenu/texts"
)

// Bounds of one form: fields and their length (an answer is at most 128
// characters of up to 4 bytes; an address 254 bytes).
const (
	maxFormFields = 16
	maxFieldBytes = 1024
	maxParts      = 4
)

// errTooLarge and errBadRequest are why a body was refused before the
// core was asked; problemOf names them.
var (
	errTooLarge   = errors.New("request body too large")
	errBadRequest = errors.New("malformed request")
)

// limitedBody is a request body behind http.MaxBytesReader that
// remembers whether the limit was hit, whatever a parser made of the
// error (mime/multipart does not wrap it).
type limitedBody struct {
	io.ReadCloser
	hit bool
}

func (b *limitedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		b.hit = true
	}
	return n, err
}

// bodyProblem is the status and problem for r's body that did not parse.
// The connection is closed after the answer: what is left of the body is
// never read.
func bodyProblem(w http.ResponseWriter, r *http.Request, err error) (int, texts.Problem) {
	w.Header().Set("Connection", "close")
	var mbe *http.MaxBytesError
	lb, _ := r.Body.(*limitedBody)
	if errors.Is(err, errTooLarge) || errors.As(err, &mbe) || (lb != nil && lb.hit) {
		return http.StatusRequestEntityTooLarge, texts.Problem{Code: texts.CodeTooLarge}
	}
	return http.StatusBadRequest, texts.Problem{Code: texts.CodeBadRequest}
}

// readAllCapped reads body up to limit bytes; more is errTooLarge, and at
// most limit+1 bytes are ever read.
func readAllCapped(body io.Reader, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(body, limit+1))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, errTooLarge
		}
		return nil, errBadRequest
	}
	if int64(len(data)) > limit {
		return nil, errTooLarge
	}
	return data, nil
}

// parseForm reads an application/x-www-form-urlencoded body of at most
// limit bytes: at most maxFormFields fields, each given once and at most
// maxFieldBytes long.
func parseForm(contentType string, body io.Reader, limit int64) (url.Values, error) {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "application/x-www-form-urlencoded" {
		return nil, errBadRequest
	}
	data, err := readAllCapped(body, limit)
	if err != nil {
		return nil, err
	}
	if bytes.Count(data, []byte("&")) >= maxFormFields {
		return nil, errBadRequest
	}
	v, err := url.ParseQuery(string(data))
	if err != nil {
		return nil, errBadRequest
	}
	for _, vs := range v {
		if len(vs) != 1 || len(vs[0]) > maxFieldBytes {
			return nil, errBadRequest
		}
	}
	return v, nil
}

// form reads r's urlencoded body (parseForm) within the body limit.
func form(r *http.Request) (url.Values, error) {
	return parseForm(r.Header.Get("Content-Type"), r.Body, MaxBodyBytes)
}

// parseGUIDUpload reads the GUID file from a multipart/form-data body:
// the part named field, of at most recovery.MaxGUIDFileLen+1 bytes (one
// more than a GUID file may hold, so that the core names a larger file
// malformed), among at most maxParts parts. Other parts are skipped.
func parseGUIDUpload(contentType string, body io.Reader, field string) ([]byte, error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return nil, errBadRequest
	}
	mr := multipart.NewReader(body, params["boundary"])
	var file []byte
	found := false
	for i := 0; ; i++ {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, tooLargeOr(err)
		}
		if i >= maxParts {
			return nil, errBadRequest
		}
		if p.FormName() != field || found {
			if _, err := io.Copy(io.Discard, io.LimitReader(p, MaxUploadBytes)); err != nil {
				return nil, tooLargeOr(err)
			}
			continue
		}
		found = true
		file, err = io.ReadAll(io.LimitReader(p, recovery.MaxGUIDFileLen+1))
		if err != nil {
			return nil, tooLargeOr(err)
		}
		if _, err := io.Copy(io.Discard, io.LimitReader(p, MaxUploadBytes)); err != nil {
			return nil, tooLargeOr(err)
		}
	}
	if !found {
		return nil, errBadRequest
	}
	return file, nil
}

func tooLargeOr(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return errTooLarge
	}
	return errBadRequest
}

// decodeJSON reads one JSON object of r's body into v: Content-Type
// application/json, no unknown field, nothing after it.
func decodeJSON(r *http.Request, v any) error {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return errBadRequest
	}
	data, err := readAllCapped(r.Body, MaxBodyBytes)
	if err != nil {
		return err
	}
	return parseJSON(data, v)
}

// parseJSON decodes exactly one JSON value of data into v.
func parseJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return errBadRequest
	}
	if dec.More() {
		return errBadRequest
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errBadRequest
	}
	return nil
}

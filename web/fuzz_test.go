package web

import (
	"bytes"
	"errors"
	"mime/multipart"
	"strings"
	"testing"
)

// Fuzz inputs are capped, as every body is: the door reads no more.
const fuzzCap = 64 << 10

// FuzzParseForm: a form body parses or is refused; a parsed one keeps
// every bound.
func FuzzParseForm(f *testing.F) {
	for _, s := range []string{"user=admin&password=x", "a=1&a=2", "%zz", strings.Repeat("a=1&", 20), "answer1=%C3%A0&answer2=b&answer3=c", ""} {
		f.Add("application/x-www-form-urlencoded", []byte(s))
	}
	f.Add("application/x-www-form-urlencoded; charset=utf-8", []byte("code=ABCD-1234"))
	f.Add("text/plain", []byte("user=admin"))
	f.Fuzz(func(t *testing.T, ct string, body []byte) {
		if len(body) > fuzzCap {
			return
		}
		v, err := parseForm(ct, bytes.NewReader(body), MaxBodyBytes)
		if err != nil {
			if !errors.Is(err, errBadRequest) && !errors.Is(err, errTooLarge) {
				t.Fatalf("unexpected error kind %v", err)
			}
			return
		}
		if len(body) > MaxBodyBytes || len(v) > maxFormFields {
			t.Fatalf("accepted %d bytes, %d fields", len(body), len(v))
		}
		for k, vs := range v {
			if len(vs) != 1 || len(vs[0]) > maxFieldBytes {
				t.Fatalf("field %q: %d values", k, len(vs))
			}
		}
	})
}

// FuzzParseGUIDUpload: a multipart body gives at most one GUID file's
// worth of bytes, or a refusal; it never reads past the cap.
func FuzzParseGUIDUpload(f *testing.F) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.SetBoundary("fuzzboundary")
	fw, _ := mw.CreateFormFile("guid", "NVR_20270314_093000.nvrguid")
	fw.Write([]byte("nvrmenu-guid v1\nserial NVR\nid 00\nsecret 00\n"))
	mw.WriteField("other", "x")
	mw.Close()
	f.Add("multipart/form-data; boundary=fuzzboundary", b.Bytes())
	f.Add("multipart/form-data; boundary=x", []byte("--x\r\nContent-Disposition: form-data; name=\"guid\"; filename=\"a\"\r\n\r\n"+strings.Repeat("g", 5000)+"\r\n--x--\r\n"))
	f.Add("multipart/form-data; boundary=x", []byte("--x--\r\n"))
	f.Add("multipart/form-data", []byte("--x\r\n"))
	f.Add("application/octet-stream", []byte("nvrmenu-guid v1\n"))
	f.Fuzz(func(t *testing.T, ct string, body []byte) {
		if len(body) > fuzzCap {
			return
		}
		data, err := parseGUIDUpload(ct, bytes.NewReader(body), "guid")
		if err != nil {
			if !errors.Is(err, errBadRequest) && !errors.Is(err, errTooLarge) {
				t.Fatalf("unexpected error kind %v", err)
			}
			return
		}
		if len(data) > 4097 {
			t.Fatalf("gave %d bytes, more than a GUID file and one", len(data))
		}
	})
}

// FuzzParseJSON: a JSON body decodes into the API's request shape or is
// refused as a bad request.
func FuzzParseJSON(f *testing.F) {
	for _, s := range []string{`{"user":"admin","password":"x"}`, `{"answers":["a","b","c"]}`, `{}{}`, `{"user":1}`, `[`, `{"extra":true}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if len(body) > fuzzCap {
			return
		}
		var v struct {
			User     string    `json:"user"`
			Password string    `json:"password"`
			Answers  [3]string `json:"answers"`
		}
		if err := parseJSON(body, &v); err != nil && !errors.Is(err, errBadRequest) {
			t.Fatalf("unexpected error kind %v", err)
		}
	})
}

// FuzzAcceptLanguage: any header picks it, en or nothing.
func FuzzAcceptLanguage(f *testing.F) {
	for _, s := range []string{"it-IT,it;q=0.9,en;q=0.8", "en", "de;q=0.1", "*;q=0.5", "it;q=2", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		if l := acceptLanguage(header); l != "" && l != "it" && l != "en" {
			t.Fatalf("picked %q", l)
		}
	})
}

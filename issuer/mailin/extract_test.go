package mailin

import (
	"archive/zip"
	"bytes"
	"compress/zlib"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"nvrmenu/internal/payload"
)

// testPayload is a sealed payload (the key does not matter here: Extract
// only checks the clear header).
func testPayload(t testing.TB) string {
	t.Helper()
	k, err := payload.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	c := payload.Content{Code: "7K2M9QXD", Serial: "NVR0012345", Email: "mario.rossi@esempio.it", Created: time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)}
	text, err := payload.Seal(k.Public(), c, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return text
}

// part is one MIME part: a content type, headers, and a body already
// encoded as its Content-Transfer-Encoding says.
type part struct {
	ctype, disp, cte, body string
}

// mail assembles a message of parts (one part: no multipart).
func mail(parts ...part) string {
	var b strings.Builder
	b.WriteString("From: owner@esempio.it\r\nTo: pw_recovery@example.com\r\nSubject: QR\r\nMIME-Version: 1.0\r\n")
	if len(parts) == 1 {
		p := parts[0]
		fmt.Fprintf(&b, "Content-Type: %s\r\n", p.ctype)
		if p.cte != "" {
			fmt.Fprintf(&b, "Content-Transfer-Encoding: %s\r\n", p.cte)
		}
		b.WriteString("\r\n" + p.body + "\r\n")
		return b.String()
	}
	b.WriteString("Content-Type: multipart/mixed; boundary=\"BOUND\"\r\n\r\n")
	for _, p := range parts {
		fmt.Fprintf(&b, "--BOUND\r\nContent-Type: %s\r\n", p.ctype)
		if p.disp != "" {
			fmt.Fprintf(&b, "Content-Disposition: %s\r\n", p.disp)
		}
		if p.cte != "" {
			fmt.Fprintf(&b, "Content-Transfer-Encoding: %s\r\n", p.cte)
		}
		b.WriteString("\r\n" + p.body + "\r\n")
	}
	b.WriteString("--BOUND--\r\n")
	return b.String()
}

func b64(data []byte) string {
	s := base64.StdEncoding.EncodeToString(data)
	var b strings.Builder
	for len(s) > 76 {
		b.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	b.WriteString(s)
	return b.String()
}

func qrPNG(t testing.TB, text string) []byte {
	t.Helper()
	data, err := payload.QRPNG(text, 600)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func qrJPEG(t testing.TB, text string) []byte {
	t.Helper()
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, q.Image(800), &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// bombPNG is a valid PNG header claiming width×height pixels, with a tiny
// body: a decompression bomb must be refused from its header alone.
func bombPNG(width, height uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		b.WriteString(typ)
		b.Write(data)
		crc := crc32.NewIEEE()
		crc.Write([]byte(typ))
		crc.Write(data)
		binary.Write(&b, binary.BigEndian, crc.Sum32())
	}
	ihdr := binary.BigEndian.AppendUint32(nil, width)
	ihdr = binary.BigEndian.AppendUint32(ihdr, height)
	ihdr = append(ihdr, 8, 0, 0, 0, 0) // 8-bit greyscale
	chunk("IHDR", ihdr)
	var z bytes.Buffer
	w := zlib.NewWriter(&z)
	w.Write(make([]byte, 1<<16))
	w.Close()
	chunk("IDAT", z.Bytes())
	chunk("IEND", nil)
	return b.Bytes()
}

// zipBomb is a small zip of a large file of zeros.
func zipBomb(t testing.TB) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	f, _ := zw.Create("qr.png")
	zeros := make([]byte, 1<<20)
	for i := 0; i < 64; i++ {
		f.Write(zeros)
	}
	zw.Close()
	return b.Bytes()
}

func TestExtract(t *testing.T) {
	p := testPayload(t)
	url, _ := payload.Render(p, "https://recover.vendor.example/r/")
	garbageQR, err := payload.QRPNG("https://example.com/not-a-payload", 400)
	if err != nil {
		t.Fatal(err)
	}
	// A mail client wraps the long line at a space of the base45 text.
	wrapped := p
	if i := strings.LastIndex(p[:76], " "); i > 0 {
		wrapped = p[:i] + "\r\n" + p[i+1:]
	} else {
		wrapped = p[:76] + "\r\n" + p[76:]
	}
	var many []part
	for i := 0; i < 1000; i++ {
		many = append(many, part{ctype: "text/plain", body: "hello"})
	}
	deep := p
	for i := 0; i < 10; i++ {
		deep = fmt.Sprintf("Content-Type: multipart/mixed; boundary=\"B%d\"\r\n\r\n--B%d\r\n%s\r\n--B%d--", i, i, deep, i)
	}
	deep = "From: a@b.example\r\nMIME-Version: 1.0\r\n" + deep + "\r\n"
	forwarded := mail(part{ctype: "text/plain", body: "see below"}, part{ctype: "message/rfc822", body: strings.ReplaceAll(mail(part{ctype: "image/png", disp: `attachment; filename="QR.png"`, cte: "base64", body: b64(qrPNG(t, p))}, part{ctype: "text/plain", body: "x"}), "BOUND", "INNER")})
	for _, tc := range []struct {
		name string
		msg  string
		want string // the payload found; "" none
		err  error
	}{
		{"text in the body", mail(part{ctype: "text/plain; charset=utf-8", body: "Ecco il codice:\r\n" + p + "\r\nGrazie"}), p, nil},
		{"text with no content type", "From: a@b.example\r\nSubject: x\r\n\r\n" + p + "\r\n", p, nil},
		{"text wrapped by the mail client", mail(part{ctype: "text/plain", body: "Codice:\r\n" + wrapped + "\r\n\r\nMario"}), p, nil},
		{"text quoted-printable", mail(part{ctype: "text/plain", cte: "quoted-printable", body: qp(p)}), p, nil},
		{"URL in HTML", mail(part{ctype: "text/html", body: `<p>Link: <a href="` + url + `">` + url + `</a></p>`}), url, nil},
		{"URL in lower case", mail(part{ctype: "text/plain", body: "open " + strings.ToLower(url) + "."}), strings.ToLower(url), nil},
		{"PNG attached", mail(part{ctype: "text/plain", body: "ciao"}, part{ctype: "image/png", disp: `attachment; filename="QR-NVR0012345.png"`, cte: "base64", body: b64(qrPNG(t, p))}), p, nil},
		{"PNG as octet-stream", mail(part{ctype: "application/octet-stream", disp: `attachment; filename="QR.PNG"`, cte: "base64", body: b64(qrPNG(t, url))}, part{ctype: "text/plain", body: "x"}), url, nil},
		{"JPEG attached", mail(part{ctype: "image/jpeg", disp: "attachment", cte: "base64", body: b64(qrJPEG(t, url))}, part{ctype: "text/plain", body: "x"}), url, nil},
		{"forwarded message", forwarded, p, nil},
		{"no payload", mail(part{ctype: "text/plain", body: "help me"}), "", ErrNoPayload},
		{"a QR code of something else", mail(part{ctype: "image/png", cte: "base64", body: b64(garbageQR)}, part{ctype: "text/plain", body: "x"}), "", ErrImage},
		{"decompression bomb", mail(part{ctype: "image/png", cte: "base64", body: b64(bombPNG(100000, 100000))}, part{ctype: "text/plain", body: "x"}), "", ErrImage},
		{"a picture too large", mail(part{ctype: "image/png", cte: "base64", body: b64(bombPNG(5000, 5000))}, part{ctype: "text/plain", body: "x"}), "", ErrImage},
		{"not an image", mail(part{ctype: "image/png", cte: "base64", body: b64([]byte("GIF89a....."))}, part{ctype: "text/plain", body: "x"}), "", ErrImage},
		{"zip bomb", mail(part{ctype: "application/zip", disp: `attachment; filename="qr.zip"`, cte: "base64", body: b64(zipBomb(t))}, part{ctype: "text/plain", body: "x"}), "", ErrNoPayload},
		{"1000 MIME parts", mail(append(many, part{ctype: "text/plain", body: p})...), "", ErrTooManyParts},
		{"nested too deep", deep, "", ErrTooDeep},
		{"header too large", "X-A: " + strings.Repeat("a", 100<<10) + "\r\n\r\n" + p, "", ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Extract(strings.NewReader(tc.msg), DefaultLimits)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("got %q, %v; want %v", got, err, tc.err)
				}
				return
			}
			if err != nil || len(got) == 0 || got[0] != tc.want {
				t.Fatalf("got %q, %v; want %q first", got, err, tc.want)
			}
		})
	}
}

func qp(s string) string {
	// A soft line break in the middle, as quoted-printable writers do.
	return s[:60] + "=\r\n" + s[60:]
}

// TestExportedPNGs reads every PNG kept in testdata (a recorder's export).
func TestExportedPNGs(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.png")
	for _, f := range files {
		data, _ := os.ReadFile(f)
		if _, err := DecodeQR(data, DefaultImageLimits); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	img := image.NewGray(image.Rect(0, 0, 10, 10))
	var b bytes.Buffer
	png.Encode(&b, img)
	if _, err := DecodeQR(b.Bytes(), DefaultImageLimits); !errors.Is(err, ErrImage) {
		t.Fatalf("a blank image: %v", err)
	}
}

func FuzzExtract(f *testing.F) {
	p := testPayload(f)
	url, _ := payload.Render(p, "https://recover.vendor.example/r/")
	f.Add(mail(part{ctype: "text/plain", body: p}))
	f.Add(mail(part{ctype: "text/html", body: "<a href=\"" + url + "\">x</a>"}, part{ctype: "text/plain", body: "NVRR1:"}))
	f.Add(mail(part{ctype: "image/png", cte: "base64", body: b64(bombPNG(100, 100))}, part{ctype: "message/rfc822", body: "Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n\r\nNVRR1:AB\r\n--x--"}))
	f.Fuzz(func(t *testing.T, msg string) {
		if len(msg) > 64<<10 {
			return
		}
		lim := DefaultLimits
		lim.Image = ImageLimits{MaxSide: 1024, MaxPixels: 1 << 20}
		got, err := Extract(strings.NewReader(msg), lim)
		if len(got) > lim.MaxCandidates {
			t.Fatalf("%d candidates, want at most %d", len(got), lim.MaxCandidates)
		}
		for _, c := range got {
			if _, _, herr := payload.ParseHeader(c); herr != nil {
				t.Fatalf("candidate %q does not parse: %v", c, herr)
			}
		}
		if err == nil && len(got) == 0 {
			t.Fatal("no candidate and no error")
		}
	})
}

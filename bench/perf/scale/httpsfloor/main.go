// Command httpsfloor is the least a web door costs as a process of its
// own: net/http's HTTP/1.1 server over crypto/tls with a self-signed
// certificate made as the daemon's door makes it (internal/selfcert),
// answering 404 to every request, nothing else. The harness builds it as
// the daemon is built (build.sh's tags) and sets it beside the daemon with
// its web door inside: the floor of moving the door out of the daemon.
//
//	httpsfloor DIR
//
// It keeps its certificate in DIR, prints "listening ADDR" once it accepts
// on a loopback port, and serves until its input is closed.
package main

import (
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"

	"nvrmenu/internal/selfcert"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: httpsfloor DIR")
		os.Exit(2)
	}
	if err := serve(os.Args[1], os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "httpsfloor:", err)
		os.Exit(1)
	}
}

// serve listens, says where on out, and serves until in ends.
func serve(dir string, in io.Reader, out io.Writer) error {
	cert, err := selfcert.LoadOrCreate(dir, selfcert.LocalAddrs(), nil)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	var protocols http.Protocols
	protocols.SetHTTP1(true)
	srv := &http.Server{Handler: http.NotFoundHandler(), Protocols: &protocols}
	// The TLS listener is made here, so that serving can fail only on an
	// accept, which ends the floor with the error.
	tln := tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"http/1.1"}})
	served := make(chan error, 1)
	go func() { served <- srv.Serve(tln) }()
	defer srv.Close()
	fmt.Fprintln(out, "listening", ln.Addr())
	ended := make(chan error, 1)
	go func() {
		_, err := io.Copy(io.Discard, in)
		ended <- err
	}()
	select {
	case err := <-ended:
		return err
	case err := <-served:
		return err
	}
}

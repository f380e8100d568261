// Command recovery-issuer is the vendor's side of reserved-email recovery:
// it makes the vendor key pair, turns a recorder's QR code into the
// verification code and the address to mail it to by hand, and runs the
// vendor's recovery service (mail in over SMTP and LMTP, the page a phone's
// camera opens, the code mailed to the reserved address).
//
//	recovery-issuer keygen -out vendor.key
//	recovery-issuer issue -key vendor.key -png qr.png
//	recovery-issuer issue -key vendor.key -payload 'NVRR1:...'
//	recovery-issuer issue -key vendor.key < payload.txt
//	recovery-issuer serve -config /etc/recovery-issuer/config.toml
//	recovery-issuer serve -demo /tmp/nvr-demo
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

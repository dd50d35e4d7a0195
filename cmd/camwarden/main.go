// Command camwarden audits network cameras, recorders and routers for
// missing or default passwords, outdated firmware and exposed functions.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/camwarden/camwarden/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

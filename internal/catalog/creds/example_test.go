package creds_test

import (
	"fmt"

	"github.com/camwarden/camwarden/internal/catalog/creds"
)

// The auth check picks the credentials for one service from the device's
// fingerprint and the --depth flag, and its budget from the lockout facts.
func ExampleCatalog_For() {
	cat, err := creds.Default()
	if err != nil {
		panic(err)
	}
	for _, c := range cat.For("Dahua", "", "http", creds.DepthDefault)[:3] {
		fmt.Println(c.Name) // never c.Password
	}
	p := cat.Lockout("Dahua")
	fmt.Println(p.Threshold, p.Window, p.Known)
	// Output:
	// Dahua factory default admin
	// Dahua factory default local account 888888
	// Dahua factory default user account 666666
	// 5 30m0s true
}

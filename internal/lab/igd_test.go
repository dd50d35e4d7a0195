package lab

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/camwarden/camwarden/internal/igd"
)

// TestLabRouterMappings: the lab router's UPnP IGD lists its planted port
// mappings, pointing at the planted camera, with miniupnpd's answers, and
// only read-only actions reach it.
func TestLabRouterMappings(t *testing.T) {
	l, err := Start(t.Context(), Options{Prefix: "127.78.113"})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var router, camera DeviceSpec
	for _, d := range l.Manifest().Devices {
		if d.Planted[PlantedPortmap] != "" {
			router = d
		}
		if d.Planted[PlantedInternet] != "" {
			camera = d
		}
	}
	if router.Name == "" || camera.Name == "" {
		t.Fatalf("manifest plants no router (%q) or published camera (%q)", router.Name, camera.Name)
	}
	gw := netip.MustParseAddr(router.Address)
	gws, err := igd.Audit(t.Context(), igd.Options{Gateway: gw, Wait: time.Second, Timeout: 3 * time.Second})
	if err != nil || len(gws) != 1 {
		t.Fatalf("Audit = %+v, %v", gws, err)
	}
	g := gws[0]
	if !g.Complete || len(g.Errors) != 0 || g.ExternalIP != netip.MustParseAddr(labExternal) {
		t.Errorf("complete=%v errors %v external %v", g.Complete, g.Errors, g.ExternalIP)
	}
	var got []string
	for _, m := range g.Mappings {
		if m.InternalClient.String() != camera.Address {
			t.Errorf("mapping %+v does not point at %s (%s)", m, camera.Address, camera.Name)
		}
		got = append(got, strings.Join([]string{itoa(m.InternalPort), m.Protocol}, "/"))
	}
	slices.Sort(got)
	want := strings.Split(camera.Planted[PlantedInternet], ",")
	slices.Sort(want)
	if !slices.Equal(got, want) || router.Planted[PlantedPortmap] != itoa(uint16(len(g.Mappings))) {
		t.Errorf("mappings %v (%d), planted %v (%s)", got, len(g.Mappings), want, router.Planted[PlantedPortmap])
	}
	for action := range l.IGDActions(gw) {
		if !slices.Contains(igd.ReadOnlyActions, action) {
			t.Errorf("the router was asked %q", action)
		}
	}
}

func itoa(p uint16) string { return strconv.Itoa(int(p)) }
